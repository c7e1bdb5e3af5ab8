import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { GroupJson, ListResponse, ModelMultiplierJson } from '../../api/types';
import { useApi } from '../../api/use-api';
import { TextField } from '../../components/fields';
import { PageHeader } from '../../components/page-header';
import { AsyncContent, Empty, ErrorBox } from '../../components/states';
import { TableHead } from '../../components/table-head';

const MULTIPLIER = /^\d+(\.\d{1,6})?$/;

function GroupForm({ onSaved }: { onSaved(): void }) {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [multiplier, setMultiplier] = useState('1');
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!MULTIPLIER.test(multiplier.trim())) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setError(undefined);
    try {
      await api.put(`/api/admin/billing/groups/${encodeURIComponent(id.trim())}`, { name: name.trim(), multiplier: multiplier.trim() });
      setId('');
      setName('');
      setMultiplier('1');
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <form className="form inline-form" onSubmit={(event) => void submit(event)} noValidate>
      {error ? <ErrorBox error={error} /> : null}
      <TextField label={t('admin.groups.id')} required pattern="[A-Za-z0-9][A-Za-z0-9_-]*" hint={t('admin.groups.idHint')} value={id} onChange={(e) => setId(e.target.value)} />
      <TextField label={t('admin.groups.name')} required value={name} onChange={(e) => setName(e.target.value)} />
      <TextField label={t('admin.groups.multiplier')} inputMode="decimal" required error={invalid ? t('admin.groups.multiplierInvalid') : undefined} value={multiplier} onChange={(e) => setMultiplier(e.target.value)} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!id.trim() || !name.trim()}>
          {t('admin.groups.save')}
        </button>
      </div>
    </form>
  );
}

function ModelMultiplierForm({ groups, onSaved }: { groups: GroupJson[]; onSaved(): void }) {
  const { t } = useTranslation();
  const [model, setModel] = useState('');
  const [group, setGroup] = useState('*');
  const [multiplier, setMultiplier] = useState('1');
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.put('/api/admin/billing/model-multipliers', { model: model.trim(), multiplier: multiplier.trim(), ...(group === '*' ? {} : { group_id: group }) });
      setModel('');
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <form className="form inline-form" onSubmit={(event) => void submit(event)} noValidate>
      {error ? <ErrorBox error={error} /> : null}
      <TextField label={t('usage.model')} required placeholder="openai/gpt-4.1" value={model} onChange={(e) => setModel(e.target.value)} />
      <div className="field">
        <label htmlFor="multiplier-group">{t('settings.group')}</label>
        <select id="multiplier-group" value={group} onChange={(e) => setGroup(e.target.value)}>
          <option value="*">{t('admin.groups.allGroups')}</option>
          {['default', ...groups.map((g) => g.id).filter((id) => id !== 'default')].map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </div>
      <TextField label={t('admin.groups.multiplier')} inputMode="decimal" required value={multiplier} onChange={(e) => setMultiplier(e.target.value)} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={!model.trim()}>
          {t('admin.groups.save')}
        </button>
      </div>
    </form>
  );
}

export function AdminGroupsPage() {
  const { t } = useTranslation();
  const groups = useApi((signal) => api.get<ListResponse<GroupJson>>('/api/admin/billing/groups', { signal }), []);
  const multipliers = useApi((signal) => api.get<ListResponse<ModelMultiplierJson>>('/api/admin/billing/model-multipliers', { signal }), []);
  const [error, setError] = useState<unknown>();

  const removeMultiplier = async (row: ModelMultiplierJson) => {
    setError(undefined);
    try {
      await api.delete('/api/admin/billing/model-multipliers', { query: { model: row.model, group_id: row.group_id === '*' ? undefined : row.group_id } });
      multipliers.reload();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section>
      <PageHeader title={t('admin.groups.title')} description={t('admin.groups.description')} />
      {error ? <ErrorBox error={error} /> : null}
      <section className="card" aria-labelledby="groups-title">
        <h2 id="groups-title">{t('admin.groups.groups')}</h2>
        <AsyncContent state={groups}>
          {(list) =>
            list.data.length === 0 ? (
              <Empty title={t('admin.groups.noGroups')} />
            ) : (
              <table className="table">
                <TableHead columns={[{ label: t('admin.groups.id') }, { label: t('admin.groups.name') }, { label: t('admin.groups.multiplier'), numeric: true }]} />
                <tbody>
                  {list.data.map((group) => (
                    <tr key={group.id}>
                      <td className="mono">{group.id}</td>
                      <td>{group.name}</td>
                      <td className="num">×{group.multiplier}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </AsyncContent>
        <h3>{t('admin.groups.addOrEdit')}</h3>
        <GroupForm onSaved={groups.reload} />
      </section>
      <section className="card" aria-labelledby="multipliers-title">
        <h2 id="multipliers-title">{t('admin.groups.modelMultipliers')}</h2>
        <p className="muted">{t('admin.groups.modelMultipliersHint')}</p>
        <AsyncContent state={multipliers}>
          {(list) =>
            list.data.length === 0 ? (
              <Empty title={t('admin.groups.noMultipliers')} />
            ) : (
              <table className="table">
                <TableHead columns={[{ label: t('usage.model') }, { label: t('settings.group') }, { label: t('admin.groups.multiplier'), numeric: true }, { label: t('common.actions'), hidden: true }]} />
                <tbody>
                  {list.data.map((row) => (
                    <tr key={`${row.group_id}/${row.model}`}>
                      <td className="mono">{row.model}</td>
                      <td className="mono">{row.group_id === '*' ? t('admin.groups.allGroups') : row.group_id}</td>
                      <td className="num">×{row.multiplier}</td>
                      <td>
                        <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void removeMultiplier(row)}>
                          {t('common.delete')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </AsyncContent>
        <h3>{t('admin.groups.addMultiplier')}</h3>
        <ModelMultiplierForm groups={groups.data?.data ?? []} onSaved={multipliers.reload} />
      </section>
    </section>
  );
}
