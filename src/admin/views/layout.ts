import { html, Html } from '../html';
import { CSRF_FIELD } from '../session';

/** The hidden field that makes a form of this page acceptable to the server: the session's CSRF token. */
export const csrfField = (csrfToken: string): Html => html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">`;

/**
 * The page frame: no script at all, one stylesheet from this server (the CSP allows nothing else). A signed-in
 * page (one given its session's CSRF token) offers signing out.
 */
export function layout(title: string, body: Html, opts: { csrfToken?: string }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Webex connector</title>
<link rel="stylesheet" href="/admin/style.css">
</head>
<body>
<header>
<nav><a class="brand" href="/admin">Webex connector</a>${opts.csrfToken ? html` <a href="/admin">Events</a> <a href="/admin/reconciliation">Reconciliation</a>` : ''}</nav>
${opts.csrfToken ? html`<form method="post" action="/admin/logout">${csrfField(opts.csrfToken)}<button type="submit" class="link">Sign out</button></form>` : ''}
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

export const STYLESHEET = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
header { display: flex; justify-content: space-between; align-items: center; padding: 10px 24px; background: #0b3d5c; }
header a { color: #cfe6f5; margin-right: 14px; text-decoration: none; }
header a.brand { color: #fff; font-weight: 600; }
header button.link { background: none; border: 0; color: #cfe6f5; cursor: pointer; font: inherit; }
main { padding: 16px 24px; }
h1 { font-size: 20px; margin: 4px 0 12px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
table.drift td, table.repairs td { overflow-wrap: anywhere; }
td.token, td.ids, code { font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
.state { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; }
.state-resolved { background: #dff3e4; color: #176b2c; }
.state-failed { background: #fde2e1; color: #a1160f; }
.state-waiting-for-webex, .state-waiting-for-webex-credentials { background: #fff3cd; color: #7a5600; }
.state-received { background: #e3ecf7; color: #1d4f91; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 12px; }
dt { font-weight: 600; }
dd { margin: 0; }
.notice { padding: 8px 12px; margin: 0 0 12px; border-left: 4px solid #0b6fa4; background: #e6f2fa; }
.warning { border-color: #b26b00; background: #fff4e0; }
button.primary { background: #0b6fa4; color: #fff; border: 0; padding: 6px 14px; border-radius: 4px; cursor: pointer; }
form.login { background: #fff; padding: 16px; max-width: 360px; }
form.login input { width: 100%; box-sizing: border-box; padding: 6px; margin: 6px 0 12px; }
`;
