/**
 * How each Ark video model takes its parameters, keyed by upstream model name. Seedance models read body
 * fields (strictly validated); the older models Ark also hosts (Seaweed, Wan 2.1) only read text commands
 * appended to the prompt (`--rs 720p --dur 5`), where a wrong value is silently replaced by a default.
 */

export type SeedanceParameterStyle = 'fields' | 'text-commands';

export interface SeedanceTraits {
  parameterStyle: SeedanceParameterStyle;
}

const rows: ReadonlyArray<readonly [RegExp, SeedanceTraits]> = [
  [/seaweed/, { parameterStyle: 'text-commands' }],
  [/wan2-1-14b/, { parameterStyle: 'text-commands' }],
];

const seedanceDefault: SeedanceTraits = { parameterStyle: 'fields' };

export function getSeedanceTraits(upstreamModel: string): SeedanceTraits {
  return rows.find(([pattern]) => pattern.test(upstreamModel))?.[1] ?? seedanceDefault;
}
