/** The search bench/multiprocess.ts times: a match query over the `bench` index, top 10. */
export const SEARCH = { index: 'bench', query: { match: { body: 'search engine folder process' } }, size: 10 };
