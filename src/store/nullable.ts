/** Documents store an absent value as null; the domain's types use undefined. */
export const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
