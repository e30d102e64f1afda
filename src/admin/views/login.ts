import { html, Html } from '../html';
import { layout } from './layout';

export function loginPage(problem?: string): Html {
  const body = html`<h1>Sign in</h1>
${problem ? html`<p class="notice warning" role="alert">${problem}</p>` : ''}
<form class="login" method="post" action="/admin/login">
<label for="token">Admin token (ADMIN_TOKEN)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit" class="primary">Sign in</button>
</form>`;
  return layout('Sign in', body, {});
}

/** A short page with a message; signed in when given the session's CSRF token. */
export function messagePage(title: string, message: string, csrfToken?: string): Html {
  return layout(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/admin">Back to the events</a></p>`, { csrfToken });
}
