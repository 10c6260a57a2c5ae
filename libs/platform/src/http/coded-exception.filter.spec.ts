import { ArgumentsHost } from '@nestjs/common';
import { CodedException } from './coded.exception';
import { CodedExceptionFilter } from './coded-exception.filter';

class OrderException extends CodedException<'ORDER_NOT_FOUND' | 'ORDER_INVALID' | 'VAULT_BROKEN'> {}

function httpHost() {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('CodedExceptionFilter', () => {
  const filter = new CodedExceptionFilter({ ORDER_NOT_FOUND: 404, ORDER_INVALID: 400 });

  it('answers with the status the map gives the code, and every problem', () => {
    const { host, sent } = httpHost();
    filter.catch(new OrderException('ORDER_INVALID', 'The order is invalid', ['lines: at least one line']), host);
    expect(sent).toEqual({ status: 400, body: { code: 'ORDER_INVALID', message: 'The order is invalid', problems: ['lines: at least one line'] } });
  });

  it('answers an empty problem list when there are none, so every error has the same shape', () => {
    const { host, sent } = httpHost();
    filter.catch(new OrderException('ORDER_NOT_FOUND', 'No such order'), host);
    expect(sent).toEqual({ status: 404, body: { code: 'ORDER_NOT_FOUND', message: 'No such order', problems: [] } });
  });

  it('answers a code the map does not know with 500, keeping the code but not the detail', () => {
    const { host, sent } = httpHost();
    filter.catch(new OrderException('VAULT_BROKEN', 'key k2 missing for row 42'), host);
    expect(sent).toEqual({ status: 500, body: { code: 'VAULT_BROKEN', message: 'An internal error occurred', problems: [] } });
  });

  it('rethrows outside HTTP, so a Kafka message is redelivered rather than answered', () => {
    const error = new OrderException('ORDER_INVALID', 'The order is invalid');
    const rpcHost = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    expect(() => filter.catch(error, rpcHost)).toThrow(error);
  });
});
