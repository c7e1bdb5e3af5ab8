import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageHeader } from '../components/page-header';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <PageHeader title={t('notFound.title')} description={t('notFound.description')} />
      <Link to="/" className="btn">
        {t('notFound.home')}
      </Link>
    </section>
  );
}
