/**
 * The reference data's calls: its load status and imports, the catalogue, places, units and the
 * knowledge base. Every read waits for the bundled data's first load.
 */
import type { Landmark } from '../../../shared/address/landmarks';
import type { Operator, ReferenceStatus } from '../../../shared/api/contract';
import { mayReviewShifts, ROLE_LABEL } from '../../../shared/roles';
import { fail, ok } from '../../../shared/result';
import { centerDate } from '../../../shared/time';
import { formatOf } from '../import/table';
import type { LearnedModelFile } from '../reference/learned-model-file';
import type { ReferenceData } from '../reference/reference-data';
import type { DeskContext, DeskHandlers } from './context';

export interface ReferenceDeps {
  reference: ReferenceData;
  /** The landmark gazetteer, read once at start (reference/landmarks-file.ts). */
  landmarks: readonly Landmark[];
  status: () => ReferenceStatus;
  setStatus: (next: ReferenceStatus) => void;
  /** Who is signed in: imports change every desk's data, so only a 班长 or an admin may make them. */
  operator: () => Operator;
  /** The learned suggester's model the hub last published (reference/learned-model-file.ts). */
  learnedModel: LearnedModelFile;
}

export function referenceHandlers(
  { now, ready, whenReady }: DeskContext,
  { reference, landmarks, status, setStatus, operator, learnedModel }: ReferenceDeps,
): DeskHandlers<'reference.status' | 'reference.import' | 'catalogue.index' | 'suggest.model' | 'catalogue.leaf' | 'places.list' | 'kb.search' | 'kb.article' | 'units.list'> {
  return {
    'reference.status': () => ok(status()),
    'reference.import': async ({ kind, fileName, contentBase64, force }) => {
      const who = operator();
      if (!mayReviewShifts(who.role)) return fail('forbidden', `导入基础数据会改变本机的分类、地址和知识库，须由班长或管理员操作；当前坐席“${who.name}”是${ROLE_LABEL[who.role]}`);
      await ready;
      const format = formatOf(fileName);
      if (!format) return fail('bad_request', '只支持 .csv 或 .xlsx 文件');
      const result = await reference.importFile(kind, Buffer.from(contentBase64, 'base64'), format, `import:${fileName}`, { force: force ?? false });
      if (result.ok) setStatus({ ...status(), versions: reference.versions.all() });
      return result;
    },
    'catalogue.index': () =>
      whenReady(() =>
        ok({
          version: reference.versions.get('catalogue')?.version ?? null,
          counts: reference.catalogue.counts(),
          entries: reference.catalogue.searchEntries(),
        }),
      ),
    'suggest.model': ({ have }) => {
      const model = learnedModel.current();
      return ok({ version: model?.version ?? null, content: model && model.version !== have ? model.content : null });
    },
    'catalogue.leaf': ({ code }) =>
      whenReady(() => {
        const node = reference.catalogue.node(code);
        if (!node) return fail('not_found', `没有编码为“${code}”的分类`);
        const ownerUnit = node.owner.kind === 'unit' ? reference.units.get(node.owner.unitCode) : null;
        return ok({ ...node, path: reference.catalogue.path(code), ownerUnit });
      }),
    'places.list': () =>
      whenReady(() => ok({ version: reference.versions.get('places')?.version ?? null, places: reference.places.all(), landmarks: [...landmarks] })),
    'kb.search': ({ query, leafCode, limit }) =>
      whenReady(() => ok(reference.kb.search(query, { leafCode: leafCode ?? null, limit: limit ?? 10, today: centerDate(now()) }))),
    'kb.article': ({ id }) =>
      whenReady(() => {
        const article = reference.kb.get(id);
        if (!article) return fail('not_found', `没有编号为“${id}”的知识库文章`);
        return ok({
          ...article,
          sourceUnitName: reference.units.get(article.sourceUnit)?.name ?? article.sourceUnit,
          expired: article.validUntil < centerDate(now()),
        });
      }),
    'units.list': () => whenReady(() => ok(reference.units.all())),
  };
}
