/** The text of `byods --help` and `byods <command> --help`; `prog` is byods as the person typed it. */

const GLOBAL_OPTIONS = `Options for every command:
  --json                 machine-readable output on stdout
  --save-list            save the data source list to data_sources_list_{timestamp}.json first
  --records-dir DIR      where operation records go (default: the working directory); the token
                         file byods_tokens.json is kept there too unless BYODS_TOKEN_FILE says otherwise
  --token-config FILE    upstream's token-config.json (default: ./token-config.json when present)
  -h, --help             this help`;

const DATA_SOURCE_FLAGS = `  --url URL              where Webex sends the data (http:// or https://)
  --audience TEXT        the token's aud claim
  --subject TEXT         the token's sub claim
  --schema-id ID         the schema of the data exchange (see "schemas")
  --nonce TEXT           nonce for the new token (default: a fresh UUID)
  --token-lifetime MIN   token lifetime in minutes, 1-1440`;

const EXIT_STATUS = 'Exit status: 0 success, 1 a Webex call failed (or a token is not valid), 2 bad usage or configuration, 130 Ctrl-C.';

export function mainHelp(prog: string): string {
  return `byods - manage Webex BYODS (Bring Your Own Data Source) data sources

Usage: ${prog} [command] [options]

Commands:
  (none)                 the interactive menu (on a terminal)
  list                   the data sources and how long their tokens last
  show <id>              every field of one data source, with its token's claims
  schemas                the schemas a data source can use
  register --url URL [--audience A] [--subject S] [--schema-id ID] [--nonce N] [--token-lifetime MIN]
  update <id> [same flags] [--status active|disabled --error-message TEXT]
  extend <id>... | --all [--expiring-within MIN] [--token-lifetime MIN]
  verify <id> | <token> | - [--audience A --subject S] [--jwks FILE]
  delete <id> [--yes]

Run "${prog} <command> --help" for what a command does and its options.

${GLOBAL_OPTIONS}

Authentication (from .env, the environment or token-config.json; see docs/byods.md):
  WEBEX_TOKEN            a service app access token with spark-admin:datasource_read and _write; or
  BYODS_CLIENT_ID, BYODS_CLIENT_SECRET and BYODS_REFRESH_TOKEN: the service app's refresh token; or
  BYODS_APP_ID, BYODS_CLIENT_ID, BYODS_CLIENT_SECRET, BYODS_TARGET_ORG_ID and BYODS_PERSONAL_TOKEN
                         (a personal or integration token with spark:applications_token), to obtain
                         the first token pair. byods keeps the newest tokens in its token file and
                         renews them with the refresh token from then on.
WEBEX_API_BASE_URL overrides https://webexapis.com/v1.

${EXIT_STATUS}`;
}

export function commandHelp(prog: string, command: string): string | undefined {
  const help: Record<string, string> = {
    list: `Usage: ${prog} list [--json]\n\nLists the data sources: ID, status, audience, URL and the time left on each token.`,
    show: `Usage: ${prog} show <id> [--json]\n\nShows every field of a data source (nonce masked) and the claims of its token, not verified\n(see "verify").`,
    schemas: `Usage: ${prog} schemas [--json]\n\nLists the schemas a data source can use: ID, service type, description.`,
    register: `Usage: ${prog} register --url URL [options]\n\nRegisters a new data source. Defaults: audience and subject BYODS, the first schema,\na fresh UUID as nonce, a 1440-minute token.\n\n${DATA_SOURCE_FLAGS}`,
    update:
      `Usage: ${prog} update <id> [options]\n\nUpdates a data source; what is not given stays as it is. Every update issues a new token,\nso a fresh nonce is used unless --nonce gives one (it must differ from the current one).\n\n` +
      `${DATA_SOURCE_FLAGS}\n  --status STATUS        active or disabled\n  --error-message TEXT   shown in Control Hub; required with --status disabled`,
    extend:
      `Usage: ${prog} extend <id>... [--token-lifetime MIN]\n       ${prog} extend --all [--expiring-within MIN] [--token-lifetime MIN]\n\n` +
      `Renews data source tokens with a new nonce, keeping everything else. --all takes every active\ndata source; with --expiring-within only those whose token expires within MIN minutes, so it is\n` +
      `safe to run from cron. Prints one line per data source (renewed, failed or skipped, and why).\nThe lifetime defaults to 1440 minutes.\n\nExit status: 0 every renewal succeeded, 1 any failed, 2 bad usage or configuration.`,
    verify:
      `Usage: ${prog} verify <id>                          the current token of a data source\n       ${prog} verify <token> --audience A --subject S\n       ${prog} verify - --audience A --subject S      the token from standard input\n\n` +
      `Verifies a data source token (a JWS) as the data-source endpoint should: signed by a key of\nWebex's public key set, not expired, issued at most 24 hours ago and not in the future, and\n` +
      `for the expected audience and subject (a data source's own, given its ID). Prints the claims and\nthe verdict. The key set is the one of BYODS_REGION (us or eu; BYODS_JWKS_URL overrides it), or\n` +
      `--jwks FILE, a saved key set, to verify offline.\n\n  --audience TEXT        the audience (aud) the token must carry\n  --subject TEXT         the subject (sub) the token must carry\n  --jwks FILE            verify against this JSON Web Key Set instead of fetching Webex's\n\n` +
      `Exit status: 0 the token is valid, 1 it is not (or the keys could not be had), 2 bad usage.`,
    delete: `Usage: ${prog} delete <id> [--yes]\n\nDeletes a data source after showing it and asking for confirmation; --yes skips the question\n(needed when there is no terminal to ask on). Writes a record like every change.`,
  };
  const text = help[command];
  return text && `${text}\n\n${GLOBAL_OPTIONS}`;
}
