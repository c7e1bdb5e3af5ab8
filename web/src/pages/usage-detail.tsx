import { useTranslation } from 'react-i18next';
import type { UsageRecordJson } from '../api/types';
import { Modal } from '../components/modal';
import { formatDateTime, formatMs, formatNumber, formatUsd } from '../lib/format';
import { useLocale } from '../lib/use-locale';

/** Every field of one request record. */
export function UsageDetail({ record, keyName, onClose }: { record: UsageRecordJson | undefined; keyName: string | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!record) return <Modal open={false} title="" onClose={onClose}>{null}</Modal>;
  const rows: Array<[string, string]> = [
    [t('usage.time'), formatDateTime(record.created_at, locale)],
    [t('usage.generationId'), record.id],
    [t('usage.requestId'), record.request_id ?? '—'],
    [t('usage.endpoint'), record.endpoint],
    [t('usage.model'), record.model ?? '—'],
    [t('usage.key'), keyName ?? record.api_key_id ?? '—'],
    [t('usage.status'), `${record.status}${record.error_code ? ` · ${record.error_code}` : ''}`],
    [t('usage.stream'), record.stream ? t('common.yes') : t('common.no')],
    [t('usage.promptTokens'), formatNumber(record.prompt_tokens, locale)],
    [t('usage.cachedTokens'), formatNumber(record.cached_tokens, locale)],
    [t('usage.completionTokens'), formatNumber(record.completion_tokens, locale)],
    [t('usage.reasoningTokens'), formatNumber(record.reasoning_tokens, locale)],
    [t('usage.cost'), formatUsd(record.cost, locale, 'cost')],
    [t('usage.estimated'), record.estimated ? t('usage.estimatedYes') : t('common.no')],
    [t('usage.latency'), formatMs(record.latency_ms, locale)],
    [t('usage.ttfb'), formatMs(record.ttfb_ms, locale)],
    [t('usage.finishReason'), record.finish_reason ?? '—'],
  ];
  return (
    <Modal open title={t('usage.detailTitle')} onClose={onClose} wide>
      <dl className="detail-list">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={/Id$|id$/.test(label) ? 'mono' : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
