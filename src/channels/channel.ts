/** An upstream channel as the services and the router see it: its credentials stay sealed in the store. */
export interface Channel {
  id: string;
  provider: string;
  name: string;
  baseUrl: string;
  apiKeyHint: string;
  secretKeyHint: string | null;
  /** Sorted model ids. */
  models: string[];
  weight: number;
  priority: number;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}
