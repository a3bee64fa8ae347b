/** Small helpers shared by both query languages. */

/** The hash algorithms Step Functions accepts (`States.Hash`, `$hash`), as Node's crypto names. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * Memoizes a parser by its source text. Definitions repeat the same few hundred expressions, so a
 * bounded map (cleared when full) keeps parsing off the hot path without growing without end.
 */
export function memoizeBySource<T>(parse: (source: string) => T, limit: number): (source: string) => T {
  const cache = new Map<string, T>();
  return (source) => {
    const cached = cache.get(source);
    if (cached !== undefined) return cached;
    const value = parse(source);
    if (cache.size > limit) cache.clear();
    cache.set(source, value);
    return value;
  };
}
