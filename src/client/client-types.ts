import type { Client } from '@elastic/elasticsearch';

/** The client's constructor options (the ESM build of @elastic/elasticsearch does not export the type by name). */
export type ClientOptions = ConstructorParameters<typeof Client>[0];
