/**
 * The ids a call is known by outside the gateway: a generation (`gen-…`, a chat completion or an image call,
 * also the request record's id) and a video task (`tsk-…`). The dash keeps them apart from the internal
 * `prefix_…` ids, and the part after it is what front doors reuse (`msg_…`, `resp_…`).
 */
import { newId } from '../shared/ids.js';

export function mintGenerationId(): string {
  return `gen-${newId('gen').slice(4)}`;
}

export function mintTaskId(): string {
  return `tsk-${newId('tsk').slice(4)}`;
}
