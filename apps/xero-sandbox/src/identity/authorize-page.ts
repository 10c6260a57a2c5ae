function escape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

/** The consent page: pick organisations, then allow or cancel. The form posts back the request as hidden fields. */
export function renderAuthorizePage(input: {
  clientId: string;
  scope: string;
  params: Record<string, string>;
  organisations: { tenantId: string; name: string }[];
  users?: { id: string; email: string }[];
}): string {
  const hidden = Object.entries(input.params)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('\n      ');
  const choices = input.organisations
    .map((o, i) => `<label><input type="checkbox" name="tenant" value="${escape(o.tenantId)}"${i === 0 ? ' checked' : ''}> ${escape(o.name)} <small>${escape(o.tenantId)}</small></label>`)
    .join('<br>\n      ');
  // Signing in as one of several Xero users; the first is the default user.
  const users = input.users ?? [];
  const userChoice =
    users.length > 1
      ? `<fieldset><legend>Signed in as</legend><select name="user">${users.map((u) => `<option value="${escape(u.id)}">${escape(u.email)}</option>`).join('')}</select></fieldset>`
      : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Xero sandbox: authorise ${escape(input.clientId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.4rem 0}small{color:#777}button{margin-right:.5rem;padding:.4rem 1rem}</style></head>
<body>
  <h1>Ledgerline Xero sandbox</h1>
  <p><strong>${escape(input.clientId)}</strong> wants access to: <code>${escape(input.scope)}</code></p>
  <form method="post" action="/identity/connect/authorize">
      ${hidden}
      ${userChoice}
      <fieldset><legend>Organisations</legend>
      ${choices || '<p>No organisations exist. Create one with POST /__sandbox/organisations.</p>'}
      </fieldset>
      <p><button type="submit" name="decision" value="allow">Allow access</button>
      <button type="submit" name="decision" value="deny">Cancel</button></p>
  </form>
</body>
</html>`;
}

export function renderErrorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero sandbox: error</title></head><body><h1>Authorisation error</h1><p>${escape(message)}</p></body></html>`;
}
