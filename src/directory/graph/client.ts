/**
 * Builds the Graph SDK client: client-credential tokens from @azure/identity, our bounded retry, and
 * the SDK's own AuthenticationHandler, which attaches the token only to Graph hosts or `customHosts`.
 */
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  type AuthenticationProvider,
} from '@microsoft/microsoft-graph-client';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { GraphConfig } from '../../config/index.js';
import { BoundedRetry, type GraphLogger, type RetryPolicy } from './retry.js';

/** Hosts the SDK already treats as Graph; any other GRAPH_BASE_URL host is added as a custom host. */
const KNOWN_GRAPH_HOSTS = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'graph.microsoft.de',
  'microsoftgraph.chinacloudapi.cn',
  'canary.graph.microsoft.com',
]);

/** A token could not be obtained; its message is safe to show (it never holds the secret). */
export class GraphTokenError extends Error {
  override readonly name = 'GraphTokenError';
}

/** Adapts an Azure TokenCredential to the SDK's provider interface. */
class CredentialProvider implements AuthenticationProvider {
  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
  ) {}

  async getAccessToken(): Promise<string> {
    let token;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new GraphTokenError(
        `Entra ID gave no token (check GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and ` +
          `GRAPH_AUTHORITY_HOST): ${reason}`,
      );
    }
    if (!token) throw new GraphTokenError('Entra ID gave no token for the Graph scope');

    return token.token;
  }
}

/** The credential used when none is injected: the app registration's client secret. */
export function secretCredential(config: GraphConfig): TokenCredential {
  return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret, {
    authorityHost: config.authorityHost,
  });
}

/** Build a client for GRAPH_BASE_URL (the root; the SDK adds v1.0). */
export function createGraphClient(
  config: GraphConfig,
  credential: TokenCredential,
  policy: RetryPolicy,
  logger?: GraphLogger,
): Client {
  const base = new URL(config.baseUrl);
  // The token's audience is the Graph root itself, e.g. https://graph.microsoft.com/.default.
  const auth = new AuthenticationHandler(
    new CredentialProvider(credential, `${base.origin}/.default`),
  );
  const retry = new BoundedRetry(policy, logger);
  auth.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  const customHosts = KNOWN_GRAPH_HOSTS.has(base.hostname) ? undefined : new Set([base.hostname]);

  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${config.baseUrl.replace(/\/+$/, '')}/`,
    customHosts,
  });
}
