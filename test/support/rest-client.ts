import { createRestClient, type RestClientOptions } from '../../src/databricks/rest.js';

/** A REST client whose retry back-off sleeps return at once and are recorded in `sleeps`. */
export function restClient(o: RestClientOptions) {
  const sleeps: number[] = [];
  const c = createRestClient({
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...o,
  });
  return { c, sleeps };
}
