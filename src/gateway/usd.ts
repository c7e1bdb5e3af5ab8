/** Nano-dollars → a USD number for display in API responses; the only place money becomes a float. */
export function nanosToUsd(nanos: bigint): number {
  return Number(nanos) / 1e9;
}
