/**
 * zod helpers for front-door schemas whose 400s must name the exact field. A plain z.union reports any bad
 * member as a bare mismatch at the field itself (`messages[2].content`); these re-report the inner issues at
 * their own paths (`messages[2].content[0].type`), so the error's `param` names the block even through the
 * generic body parser.
 */
import { z } from 'zod';

/** Runs `schema` on `value`, re-reporting its issues at their own paths. */
export function reportIssues<S extends z.ZodType>(schema: S, value: unknown, ctx: z.RefinementCtx): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: value });
  return z.NEVER;
}

/** "A string or an array of `item`"; `what` names the array in the message ("an array of content blocks"). */
export function stringOrArray<Item extends z.ZodType>(item: Item, what = 'an array') {
  const array = z.array(item);
  return z.unknown().transform((value, ctx): string | z.output<typeof array> => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return reportIssues(array, value, ctx);
    ctx.issues.push({ code: 'custom', message: `Expected a string or ${what}.`, input: value });
    return z.NEVER;
  });
}
