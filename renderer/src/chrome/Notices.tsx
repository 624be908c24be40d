/** The banners over the desk: a new call waiting on an unsubmitted ticket, a restored draft, the last submit. */
import { formatClock } from '../format';
import { useIntake } from '../intake/intake-store';
import { SubmittedBanner } from '../intake/SubmittedBanner';
import { noticeRole } from '../notice';

export function Notices() {
  const notice = useIntake((s) => s.notice);
  const restoredAt = useIntake((s) => s.restoredAt);
  const confirmNewCall = useIntake((s) => s.confirmNewCall);
  const waitingCall = useIntake((s) => s.waitingCall);
  return (
    <div className="notices" aria-live="polite">
      {confirmNewCall && (
        <div className="banner banner-warn" role="alert" data-testid="confirm-new-call">
          {waitingCall ? `新来电 ${waitingCall.phone} 已接入。` : ''}当前工单尚未提交。再按一次 <kbd>F2</kbd> 放弃草稿并
          {waitingCall ? '受理新来电' : '开始新来电'}，继续填写则保留。
        </div>
      )}
      {restoredAt && (
        <div className="banner banner-info" role="status" data-testid="draft-restored">
          已恢复上次未提交的工单草稿（{formatClock(new Date(restoredAt))} 保存），请核对后继续。
        </div>
      )}
      <SubmittedBanner />
      {notice && (
        <div className={`banner ${notice.kind === 'ok' ? 'banner-ok' : 'banner-error'}`} role={noticeRole(notice)} data-testid="submit-notice">
          {notice.text}
        </div>
      )}
    </div>
  );
}
