/** What a picked leaf means for the ticket: path, urgency, who handles it, whether it needs coordination. */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { CatalogueLeaf } from '../../../shared/api/contract';
import { formatPath } from '../../../shared/domain/catalogue';
import { api } from '../bridge';

type Leaf = z.infer<typeof CatalogueLeaf>;

const URGENCY_CLASS: Record<Leaf['urgency'], string> = { 一般: 'badge', 紧急: 'badge badge-bad', 即时: 'badge badge-warn' };
const URGENCY_TEXT: Record<Leaf['urgency'], string> = { 一般: '一般', 紧急: '紧急（生命财产安全）', 即时: '水电气热即时维修' };

export function LeafCard({ code }: { code: string }) {
  const [leaf, setLeaf] = useState<Leaf | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void api.call('catalogue.leaf', { code }).then((r) => {
      if (!live) return;
      if (r.ok) setLeaf(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [code]);
  if (error) return <p className="field-error">{error}</p>;
  if (!leaf) return null;
  return (
    <div className="leaf-card" data-testid="leaf-card">
      <div className="leaf-path">{formatPath(leaf.path)}</div>
      <div className="leaf-facts">
        <span className={URGENCY_CLASS[leaf.urgency]}>{URGENCY_TEXT[leaf.urgency]}</span>
        <span>承办：{leaf.owner.kind === 'local' ? '属地街乡镇' : (leaf.ownerUnit?.name ?? leaf.owner.unitCode)}</span>
        {leaf.coordination && <span className="badge">需分中心协调</span>}
        <span>常见类型：{leaf.requestTypes.join('、') || '—'}</span>
        <span className="code">编码 {leaf.code}</span>
      </div>
    </div>
  );
}
