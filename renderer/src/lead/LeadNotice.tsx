import { noticeRole, type Notice } from '../notice';

/** What the last export or drill-down did, in the lead view's toolbar line or over the drill-down list. */
export function LeadNotice({ notice, testId, as: Tag = 'span' }: { notice: Notice; testId: string; as?: 'span' | 'p' }) {
  return (
    <Tag className={`lead-notice ${notice.kind === 'ok' ? 'ok' : 'bad'}`} data-testid={testId} role={noticeRole(notice)}>
      {notice.text}
    </Tag>
  );
}
