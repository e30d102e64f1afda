import type { Logger } from '../log';
import { createServiceAppToken } from '../webex/applicationTokens';
import { WebexApiError } from '../webex/errors';
import { WebexHttp } from '../webex/http';
import { describeFailure, ExplainedError } from './failures';
import type { ServiceAppAccess, Settings } from './settings';

/**
 * The token byods sends, and how it gets a new one: WEBEX_TOKEN as given, or a service app
 * token obtained with the app's credentials — first when there is no WEBEX_TOKEN, and again
 * once when Webex answers 401 (WebexHttp calls `refreshToken` for exactly that).
 */
export class TokenSession {
  private current: string | undefined;
  private obtainedFromServiceApp = false;
  private inFlight: Promise<string> | undefined;
  private readonly appTokenHttp: WebexHttp | undefined;

  constructor(
    private readonly settings: Settings,
    logger: Logger,
  ) {
    this.current = settings.accessToken;
    const serviceApp = settings.serviceApp;
    this.appTokenHttp = serviceApp && new WebexHttp({ baseUrl: settings.baseUrl, getToken: () => serviceApp.personalToken, logger });
  }

  getToken = async (): Promise<string> => this.current ?? this.obtain();

  /** Undefined without service app credentials: then a 401 is final. */
  get refreshToken(): (() => Promise<string>) | undefined {
    return this.settings.serviceApp ? this.obtain : undefined;
  }

  /** Which token a 401 is about, for the message that tells the user what to replace. */
  tokenName(): string {
    return this.obtainedFromServiceApp ? `the service app token obtained for application ${this.settings.serviceApp?.credentials.appId}` : 'the access token in WEBEX_TOKEN';
  }

  private obtain = (): Promise<string> => {
    // Several calls may hit a 401 together; one new token serves them all.
    this.inFlight ??= this.requestToken().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  };

  private async requestToken(): Promise<string> {
    const serviceApp = this.settings.serviceApp;
    if (!serviceApp || !this.appTokenHttp) throw new ExplainedError('No service app credentials to obtain a token with.');
    try {
      const token = await createServiceAppToken(this.appTokenHttp, serviceApp.credentials);
      this.current = token.accessToken;
      this.obtainedFromServiceApp = true;
      return token.accessToken;
    } catch (err) {
      throw new ExplainedError(appTokenFailure(serviceApp, err));
    }
  }
}

function appTokenFailure(serviceApp: ServiceAppAccess, err: unknown): string {
  const appId = serviceApp.credentials.appId;
  if (err instanceof WebexApiError && (err.status === 401 || err.status === 403)) {
    const said = err.details.webexMessage ? `: ${err.details.webexMessage}` : '';
    const tracking = err.trackingId ? ` [tracking ID ${err.trackingId}]` : '';
    return (
      `Could not obtain a service app token for application ${appId} (${err.status}${said})${tracking}. ` +
      `Check the client ID and secret, that ${serviceApp.personalTokenName} is a valid personal or integration token with the spark:applications_token scope, ` +
      `and that a full admin of org ${serviceApp.credentials.targetOrgId} authorised the service app.`
    );
  }
  return `Could not obtain a service app token for application ${appId}: ${describeFailure(err)}`;
}
