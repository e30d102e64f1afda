import type { TokenToVerify } from '../args';
import { UsageError } from '../args';
import { ExplainedError } from '../failures';
import { formatFields, formatTimeLeft } from '../format';
import { verifyDataSourceToken, type Expected, type KeySet, type Verdict } from '../verify';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export interface VerifyRequest {
  token: TokenToVerify;
  /** Built only once the token is in hand, so a bad --jwks file is reported before a fetch. */
  keySet: () => KeySet;
  readStdin: () => Promise<string>;
}

/** `byods verify`: the claims, then the verdict; exit status 0 only for a valid token. */
export async function verifyCommand(ctx: CommandContext, request: VerifyRequest): Promise<ExitStatus> {
  const { jws, expected, about } = await tokenAndExpectations(ctx, request);
  const verdict = await verifyDataSourceToken(jws, expected, request.keySet(), ctx.now());
  if (ctx.json) {
    printJson(ctx, { valid: verdict.valid, reason: verdict.reason, token: about, expected, header: verdict.header ?? null, claims: verdict.claims ?? null });
  } else {
    printLine(ctx, `Token ${about}${verdict.valid ? '' : ' (claims not verified)'}:\n${formatClaims(verdict, ctx.now())}`);
    printLine(ctx, `${verdict.valid ? 'VALID' : 'NOT VALID'}: ${verdict.reason}.`);
  }
  return verdict.valid ? 0 : 1;
}

async function tokenAndExpectations(ctx: CommandContext, request: VerifyRequest): Promise<{ jws: string; expected: Expected; about: string }> {
  const { token } = request;
  if (token.from === 'argument') return { jws: token.jws, expected: token, about: 'given' };
  if (token.from === 'stdin') {
    const jws = (await request.readStdin()).trim();
    if (!jws) throw new UsageError('Standard input held no token.');
    return { jws, expected: token, about: 'from standard input' };
  }
  const source = await ctx.api.get(token.id);
  if (!source.jwsToken) throw new ExplainedError(`Webex returned no token for data source ${token.id}.`);
  // The data source's registered values, never the token's own claims: those are what is being checked.
  if (!source.audience || !source.subject) throw new ExplainedError(`Webex did not return the audience and subject of data source ${token.id}.`);
  return { jws: source.jwsToken, expected: { audience: source.audience, subject: source.subject }, about: `of data source ${token.id}` };
}

function formatClaims(verdict: Verdict, now: Date): string {
  const claims = verdict.claims;
  if (!claims) return '  (it could not be decoded)';
  const time = (value: unknown) => (typeof value === 'number' ? `${value} (${new Date(value * 1000).toISOString()})` : text(value));
  const { aud, sub, iss, iat, exp, ...others } = claims;
  const expiry = typeof exp === 'number' ? `${time(exp)}, ${formatTimeLeft(new Date(exp * 1000), now)}` : text(exp);
  const fields: Array<[string, string]> = [
    ['aud', text(aud)],
    ['sub', text(sub)],
    ['iss', text(iss)],
    ['iat', time(iat)],
    ['exp', expiry],
    ...Object.entries(others).map(([name, value]): [string, string] => [name, text(value)]),
    ['key', `${verdict.header?.kid ?? '-'} (${verdict.header?.alg ?? 'no algorithm'})`],
  ];
  return formatFields(fields);
}

function text(value: unknown): string {
  if (value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
