import { useState } from 'react';
import { ApiError } from '../../api/client';

/**
 * One public-API call at a time from a playground panel: the busy flag, the error shown under the form, and the
 * "pick a key first" check, so each panel only says what it sends and what it keeps from the answer.
 */
export function usePlaygroundCall(apiKey: string) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = async (call: (key: string) => Promise<void>) => {
    if (!apiKey) {
      setError(new ApiError(401, 'missing_api_key', ''));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await call(apiKey);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, setError, run };
}
