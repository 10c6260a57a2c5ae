/** The page's one way to call the console and, through it, the other services (`/api/<service>/…`). */

const TOKEN_KEY = 'ledgerline.console.session';

/**
 * The dev sign-in's token, kept for this tab only and never shown. In production there is none: the gateway
 * authenticates the person and adds their JWT to every request it forwards.
 */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

export function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = session.token();
  return { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

export async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    throw new ApiError(response.status, String(parsed['code'] ?? response.status), String(parsed['message'] ?? response.statusText), (parsed['problems'] as string[]) ?? []);
  }
  return parsed as T;
}

export const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export interface ProgressEvent {
  id: number;
  syncId: string;
  scope: string;
  state: string;
  pagesRead: number;
  recordsChanged: number;
  errors: number;
  failure: { code: string; messages: string[] } | null;
}

/**
 * Follows a sync's Server-Sent Events. EventSource cannot send the Authorization header, so the stream is read with
 * fetch; after a dropped connection it reconnects with Last-Event-ID, so no event is missed or seen twice.
 */
export function followSync(syncId: string, onEvent: (event: ProgressEvent) => void, onEnd: () => void): () => void {
  const controller = new AbortController();
  let lastId = 0;
  let stopped = false;
  const ends = new Set(['done', 'failed', 'expired']);
  const run = async () => {
    while (!stopped) {
      try {
        const response = await fetch(`/v1/console/syncs/${syncId}/events`, {
          headers: headers({ accept: 'text/event-stream', ...(lastId ? { 'last-event-id': String(lastId) } : {}) }),
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            const data = block.split('\n').find((line) => line.startsWith('data:'));
            if (!data) continue;
            const event = JSON.parse(data.slice(5)) as ProgressEvent;
            lastId = event.id;
            onEvent(event);
            if (ends.has(event.state)) {
              stopped = true;
              onEnd();
              return;
            }
          }
        }
      } catch {
        if (stopped || controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
