import type { Client as OpenSearchClient, ClientOptions as OpenSearchClientOptions } from '@opensearch-project/opensearch';
import type { ClientOptions } from './client-types.js';
import type { AwsAuth } from '../config/settings-types.js';
import { IndexkitError } from '../errors.js';

/**
 * An @opensearch-project/opensearch Client for a connection with `product: opensearch`, from
 * the options indexkit resolved for it (the @elastic/elasticsearch shape: node, auth, tls,
 * timeouts, compression), plus SigV4 signing when `auth.aws` is set. The client and the AWS
 * credential chain are loaded only when such a connection is used.
 */
export async function createOpenSearchClient(name: string, options: ClientOptions, aws?: AwsAuth): Promise<OpenSearchClient> {
  const { Client } = await import('@opensearch-project/opensearch');
  const invalid = (what: string) => new IndexkitError('CONNECTION_INVALID', `connections.${name} ${what}`, { exitCode: 2 });
  if (options.cloud) throw invalid('has cloudId, which is Elastic Cloud only; with product: opensearch give node (the domain or collection endpoint)');
  if (options.caFingerprint) throw invalid('has tls.caFingerprint, which the OpenSearch client does not support; give tls.ca (the CA certificate) instead');
  const out: OpenSearchClientOptions = {
    node: options.node as string | string[],
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    ...(options.compression ? { compression: 'gzip' as const } : {}),
    ...(options.tls ? { ssl: options.tls as OpenSearchClientOptions['ssl'] } : {}),
  };
  const auth = options.auth as { username?: string; password?: string; apiKey?: string | { id: string; api_key: string }; bearer?: string } | undefined;
  if (aws && auth) throw invalid('has both auth.aws and another kind of auth; SigV4 signs every request, so give only auth.aws');
  if (auth?.username !== undefined) out.auth = { username: auth.username, password: auth.password ?? '' };
  else if (auth?.apiKey !== undefined) out.headers = { authorization: `ApiKey ${typeof auth.apiKey === 'string' ? auth.apiKey : Buffer.from(`${auth.apiKey.id}:${auth.apiKey.api_key}`).toString('base64')}` };
  else if (auth?.bearer !== undefined) out.headers = { authorization: `Bearer ${auth.bearer}` };
  if (aws) Object.assign(out, await sigv4(aws));
  return new Client(out);
}

/**
 * The OpenSearch client's own SigV4 signer (a Connection that signs each request and a
 * Transport that refreshes credentials before they expire), fed by the standard AWS
 * credential chain: environment variables (with AWS_SESSION_TOKEN for temporary
 * credentials), shared config and credentials files, SSO, web identity, container and
 * instance roles.
 */
async function sigv4(aws: AwsAuth): Promise<Partial<OpenSearchClientOptions>> {
  const [{ AwsSigv4Signer }, { defaultProvider }] = await Promise.all([import('@opensearch-project/opensearch/aws'), import('@aws-sdk/credential-provider-node')]);
  const provider = defaultProvider();
  const signer = AwsSigv4Signer({ region: aws.region, service: aws.service ?? 'es', getCredentials: () => provider() });
  return signer as unknown as Partial<OpenSearchClientOptions>;
}
