/** The text of `byods --help` and `byods <command> --help`. */

const GLOBAL_OPTIONS = `Options for every command:
  --json                 machine-readable output on stdout
  --save-list            save the data source list to data_sources_list_{timestamp}.json first
  --records-dir DIR      where operation records go (default: the working directory)
  --token-config FILE    JSON with appId, clientId, clientSecret, targetOrgId, personalAccessToken
  -h, --help             this help`;

const DATA_SOURCE_FLAGS = `  --url URL              where Webex sends the data (http:// or https://)
  --audience TEXT        the token's aud claim
  --subject TEXT         the token's sub claim
  --schema-id ID         the schema of the data exchange (see "byods schemas")
  --nonce TEXT           nonce for the new token (default: a fresh UUID)
  --token-lifetime MIN   token lifetime in minutes, 1-1440`;

export const MAIN_HELP = `byods - manage Webex BYODS (Bring Your Own Data Source) data sources

Usage:
  byods                      interactive menu (on a terminal)
  byods list                 list the data sources and how long their tokens last
  byods show <id>            every field of one data source, with its token's claims
  byods schemas              the schemas a data source can use
  byods register --url URL [--audience] [--subject] [--schema-id] [--nonce] [--token-lifetime]
  byods update <id> [same flags] [--status active|disabled --error-message TEXT]
  byods extend <id>... | --all [--expiring-within MIN] [--token-lifetime MIN]

${GLOBAL_OPTIONS}

Authentication: WEBEX_TOKEN (a service app token with spark-admin:datasource_read and
spark-admin:datasource_write), from .env or the environment; or the service app's
BYODS_APP_ID, BYODS_CLIENT_ID, BYODS_CLIENT_SECRET, BYODS_TARGET_ORG_ID and a personal token
BYODS_PERSONAL_TOKEN, with which byods obtains a service app token (and a new one after a 401).
WEBEX_API_BASE_URL overrides https://webexapis.com/v1.

Exit status: 0 success, 1 a Webex call failed, 2 bad usage or configuration, 130 Ctrl-C.`;

export const COMMAND_HELP: Record<string, string> = {
  list: `Usage: byods list [--json]\n\nLists the data sources: ID, status, audience, URL and the time left on each token.\n\n${GLOBAL_OPTIONS}`,
  show: `Usage: byods show <id> [--json]\n\nShows every field of a data source (nonce masked) and the claims of its JWS token.\n\n${GLOBAL_OPTIONS}`,
  schemas: `Usage: byods schemas [--json]\n\nLists the schemas a data source can use: ID, service type, description.\n\n${GLOBAL_OPTIONS}`,
  register: `Usage: byods register --url URL [options]\n\nRegisters a new data source. Defaults: audience and subject BYODS, the first schema,\na fresh UUID as nonce, a 1440-minute token.\n\n${DATA_SOURCE_FLAGS}\n\n${GLOBAL_OPTIONS}`,
  update: `Usage: byods update <id> [options]\n\nUpdates a data source; what is not given stays as it is. Every update issues a new token,\nso a fresh nonce is used unless --nonce gives one (it must differ from the current one).\n\n${DATA_SOURCE_FLAGS}\n  --status STATUS        active or disabled\n  --error-message TEXT   shown in Control Hub; required with --status disabled\n\n${GLOBAL_OPTIONS}`,
  extend: `Usage: byods extend <id>... [--token-lifetime MIN]\n       byods extend --all [--expiring-within MIN] [--token-lifetime MIN]\n\nRenews data source tokens with a new nonce, keeping everything else. --all takes every active\ndata source; with --expiring-within only those whose token expires within MIN minutes, so it is\nsafe to run from cron. The lifetime defaults to 1440 minutes. Exit status 1 if any renewal failed.\n\n${GLOBAL_OPTIONS}`,
};
