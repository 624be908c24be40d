/**
 * The left column: who is calling, what kind of request, where, what they say, and which leaf of the
 * catalogue it is. Tab walks the fields in the order a call goes; each field shows its own message
 * in Chinese once the call-taker has left it or tried to submit.
 */
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { confidenceLabel, formatAddressMatch, readingNote, type AddressMatch } from '../../../shared/address/resolve';
import { formatPath, REQUEST_TYPES, type RequestType } from '../../../shared/domain/catalogue';
import { CHANNELS, type Channel } from '../../../shared/domain/ticket';
import { suggestFromContent, type ContentSuggestion } from '../../../shared/search/suggest';
import { blendSuggestions, type BlendedSuggestion } from '../../../shared/learn/blend';
import { predict } from '../../../shared/learn/model';
import { addressRule, MIN_CONTENT_CHARS, type TicketField } from '../../../shared/validation/ticket';
import { CatalogueSearch } from '../catalogue/CatalogueSearch';
import { LeafCard } from '../catalogue/LeafCard';
import { FIELD_ID } from '../desk-ids';
import { formatClock } from '../format';
import { useReference } from '../reference-store';
import { useNow } from '../use-now';
import { usePlacePrompt } from './DispositionPanel';
import { useFieldError, useIntake } from './intake-store';

/** The call's clock from F2 (or the incoming call): when it started and how long it has run. */
function CallClock() {
  const active = useIntake((s) => s.callActive);
  const startedAt = useIntake((s) => s.draft.callStartedAt);
  const now = useNow();
  if (!active) return <p className="call-clock muted" data-testid="call-clock">等待来电 · 按 <kbd>F2</kbd> 开始受理</p>;
  const started = new Date(startedAt);
  const seconds = Math.max(0, Math.floor((now.getTime() - started.getTime()) / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return (
    <p className="call-clock" data-testid="call-clock">
      来电 <span className="mono">{formatClock(started)}</span> · 已通话{' '}
      <strong className="mono" data-testid="call-elapsed">
        {mm}:{ss}
      </strong>
    </p>
  );
}

/**
 * 受理渠道: 电话 unless the call-taker is typing up a letter or a message from another channel. A small
 * select beside the call clock (Shift+Tab from 来电号码, then ↑↓), kept in the draft like every field.
 */
function ChannelPicker() {
  const channel = useIntake((s) => s.draft.channel);
  const setField = useIntake((s) => s.setField);
  return (
    <label className={channel === '电话' ? 'channel-picker' : 'channel-picker other'}>
      渠道
      <select id="f-channel" value={channel} onChange={(e) => setField('channel', e.target.value as Channel)} data-testid="channel">
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

function Field({ field, label, hint, children }: { field: TicketField; label: string; hint?: ReactNode; children: ReactNode }) {
  const error = useFieldError(field);
  return (
    <div className={`form-field ${error ? 'has-error' : ''}`} data-field={field}>
      <label htmlFor={FIELD_ID[field]} className="field-title">
        {label}
        {hint && <span className="hint">{hint}</span>}
      </label>
      {children}
      {error && (
        <p className="field-error" role="alert" id={`${FIELD_ID[field]}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

type TextField = 'callerPhone' | 'callerName' | 'callbackPhone';

/** One line of text on the form: its label, its message, and where the cursor leaves it. */
function TextInput({ field, label, phone, placeholder, onChange }: { field: TextField; label: string; phone?: boolean; placeholder?: string; onChange: (value: string) => void }) {
  const value = useIntake((s) => s.draft[field]);
  const visit = useIntake((s) => s.visit);
  return (
    <Field field={field} label={label}>
      <input
        id={FIELD_ID[field]}
        className={phone ? 'text-input mono' : 'text-input'}
        value={value}
        inputMode={phone ? 'tel' : undefined}
        autoComplete="off"
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => visit(field)}
      />
    </Field>
  );
}

function RequestTypePicker() {
  const value = useIntake((s) => s.draft.requestType);
  const set = useIntake((s) => s.setRequestType);
  const visit = useIntake((s) => s.visit);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const digit = Number(event.key);
    if (digit >= 1 && digit <= REQUEST_TYPES.length) {
      event.preventDefault();
      set(REQUEST_TYPES[digit - 1]!);
      return;
    }
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
      event.preventDefault();
      const at = value ? REQUEST_TYPES.indexOf(value) : -1;
      const next = (at + (event.key === 'ArrowRight' ? 1 : REQUEST_TYPES.length - 1)) % REQUEST_TYPES.length;
      set(REQUEST_TYPES[next < 0 ? 0 : next]!);
    }
  };
  return (
    <div
      id="f-request-type"
      className="segmented"
      role="radiogroup"
      aria-label="诉求类型"
      tabIndex={0}
      onKeyDown={onKeyDown}
      onBlur={() => visit('requestType')}
    >
      {REQUEST_TYPES.map((type: RequestType, i) => (
        <button
          type="button"
          key={type}
          role="radio"
          aria-checked={value === type}
          tabIndex={-1}
          className={value === type ? 'seg active' : 'seg'}
          onMouseDown={(e) => {
            e.preventDefault();
            set(type);
          }}
        >
          <kbd>{i + 1}</kbd>
          {type}
        </button>
      ))}
    </div>
  );
}

function AddressInput() {
  const text = useIntake((s) => s.draft.address.text);
  const match = useIntake((s) => s.addressMatch);
  const codes = useIntake((s) => s.draft.address);
  const places = useReference((s) => s.places);
  const setText = useIntake((s) => s.setAddressText);
  const accept = useIntake((s) => s.acceptAddress);
  const visit = useIntake((s) => s.visit);
  const addressError = useFieldError('address');
  const disposition = useIntake((s) => s.draft.disposition);
  const requestType = useIntake((s) => s.draft.requestType);
  const rule = addressRule({ disposition, requestType, address: codes });
  const prompt = usePlacePrompt();
  const resolver = useReference((s) => s.resolver);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const resolution = useMemo(() => (resolver && text.trim() ? resolver.resolve(text, 6) : null), [resolver, text]);
  const candidates = resolution?.candidates ?? [];

  const onChange = (value: string) => {
    setText(value);
    setActive(0);
    setOpen(true);
    // The reading follows the words: a clear one is taken at once, an unclear one waits for a pick.
    const next = resolver && value.trim() ? resolver.resolve(value, 6) : null;
    accept(next?.best ?? null);
  };
  const pick = (candidate: AddressMatch) => {
    accept(candidate);
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && candidates.length) {
      event.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, candidates.length - 1));
    } else if (event.key === 'ArrowUp' && candidates.length) {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (open && candidates[active]) pick(candidates[active]);
      document.getElementById(FIELD_ID.content)?.focus();
    } else if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
    }
  };

  return (
    <Field
      field="address"
      label="诉求地址"
      hint={
        <>
          <span className={rule.needs === 'none' ? 'badge badge-ok' : 'badge'} data-testid="address-rule">
            {rule.needs === 'none' ? '可不填' : '必填'}
          </span>{' '}
          {rule.note} · ↑↓ 选择识别结果，Enter 确认
        </>
      }
    >
      <input
        id={FIELD_ID.address}
        className="text-input"
        value={text}
        placeholder="例如：朝阳区望京街道花家地北里 3 号楼"
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded={open && candidates.length > 0}
        aria-controls="address-candidates"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          visit('address');
          setOpen(false);
        }}
      />
      <div className="address-reading" data-testid="address-reading">
        {match ? (
          <>
            <span className="badge badge-ok">已识别</span> {formatAddressMatch(match)}
            <span className="muted"> · {readingNote(match)}</span>
          </>
        ) : codes.districtCode && places.has(codes.districtCode) ? (
          // A restored draft keeps the codes it was given; show them by name.
          <>
            <span className="badge badge-ok">已识别</span>{' '}
            {[codes.districtCode, codes.streetCode, codes.villageCode]
              .map((code) => (code ? places.get(code) : undefined))
              .filter((p) => p !== undefined)
              .map((p) => p.shortName || p.name)
              .join(' / ')}
          </>
        ) : text.trim() && !addressError ? (
          <span className="muted">{candidates.length ? '地址不够明确，请用 ↑↓ 选择下列之一' : '未识别到区划，请补充区或街乡镇名称'}</span>
        ) : null}
      </div>
      {prompt?.kind === 'ask' && (
        <p className="place-prompt" role="status" data-testid="place-prompt">
          {prompt.text}
        </p>
      )}
      {open && candidates.length > 0 && (
        <ul className="hits address-candidates" id="address-candidates" role="listbox" data-testid="address-candidates">
          {candidates.map((c, i) => (
            <li
              key={`${c.district.code}-${c.street?.code ?? ''}-${c.village?.code ?? ''}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hit active' : 'hit'}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              {formatAddressMatch(c)} <span className="muted">{confidenceLabel(c)}</span>
            </li>
          ))}
        </ul>
      )}
    </Field>
  );
}

/** Top-3 leaves from what the caller said, as the call-taker types; Alt+1…3 picks one. */
/** A suggestion as the form shows it: the keyword suggester's, or blended with the learned model's (shared/learn/blend.ts). */
export type ShownSuggestion = ContentSuggestion & Partial<Pick<BlendedSuggestion, 'source' | 'why' | 'share'>>;

export function useContentSuggestions(): ShownSuggestion[] {
  const index = useReference((s) => s.index);
  const learned = useReference((s) => s.learned);
  const content = useIntake((s) => s.draft.content);
  const [suggestions, setSuggestions] = useState<ShownSuggestion[]>([]);
  const pathOf = useMemo(() => {
    const paths = new Map((index?.entries ?? []).map((e) => [e.code, e.path]));
    return (code: string) => paths.get(code) ?? null;
  }, [index]);
  useEffect(() => {
    if (!index || !content.trim()) {
      setSuggestions([]);
      return;
    }
    // A short pause so a fast typist is not slowed by work for words still being typed.
    const timer = setTimeout(() => {
      const keyword = suggestFromContent(index, content, 3);
      // No model (a fresh desk, bundled data only): the keyword suggestions exactly as before.
      setSuggestions(learned ? blendSuggestions(content, keyword, predict(learned, content, 3, 5), pathOf, 3) : keyword);
    }, 80);
    return () => clearTimeout(timer);
  }, [index, learned, pathOf, content]);
  return suggestions;
}

/** Why a blended suggestion: the words that weighed most, and which suggester named it. */
function SuggestionWhy({ s }: { s: ShownSuggestion }) {
  if (!s.why) return <span className="muted">因“{s.terms.slice(0, 2).map((t) => t.text).join('”“')}”</span>;
  const by = s.source === 'keyword' ? '关键词' : `模型 ${Math.round((s.share ?? 0) * 100)}%${s.source === 'both' ? ' · 关键词' : ''}`;
  return (
    <span className="suggestion-why" data-testid="suggestion-why">
      依据 {s.why.map((w) => `“${w}”`).join('')} <span className="muted">{by}</span>
    </span>
  );
}

function Suggestions({ suggestions }: { suggestions: ShownSuggestion[] }) {
  const pickLeaf = useIntake((s) => s.pickLeaf);
  const chosen = useIntake((s) => s.draft.leafCode);
  if (suggestions.length === 0) return null;
  return (
    <ol className="suggestions" data-testid="content-suggestions" aria-label="按内容推荐的分类">
      {suggestions.map((s, i) => (
        <li key={s.code} className={s.code === chosen ? 'suggestion chosen' : 'suggestion'}>
          <button
            type="button"
            tabIndex={-1}
            onMouseDown={(e) => {
              e.preventDefault();
              void pickLeaf(s.code);
            }}
          >
            <kbd>Alt+{i + 1}</kbd>
            <span className="suggestion-path">{formatPath(s.path)}</span>
            <SuggestionWhy s={s} />
          </button>
        </li>
      ))}
    </ol>
  );
}

export function IntakeForm({ suggestions }: { suggestions: ContentSuggestion[] }) {
  const draft = useIntake((s) => s.draft);
  const setField = useIntake((s) => s.setField);
  const setCallerPhone = useIntake((s) => s.setCallerPhone);
  const visit = useIntake((s) => s.visit);
  const pickLeaf = useIntake((s) => s.pickLeaf);
  const leafError = useFieldError('leafCode');
  const leaf = useIntake((s) => s.leaf);
  const index = useReference((s) => s.index);
  // The chosen leaf's path shows in the field: from its loaded details, else from the search index.
  const chosenPath = draft.leafCode
    ? leaf?.code === draft.leafCode
      ? formatPath(leaf.path)
      : (() => {
          const entry = index?.entries.find((e) => e.code === draft.leafCode);
          return entry ? formatPath(entry.path) : null;
        })()
    : null;
  const contentLength = [...draft.content.trim()].length;

  return (
    <div className="intake-form">
      <div className="intake-head">
        <CallClock />
        <ChannelPicker />
      </div>
      <div className="form-row three">
        <TextInput field="callerPhone" label="来电号码" phone placeholder="手机或带区号固话" onChange={setCallerPhone} />
        <TextInput field="callerName" label="来电人" placeholder="姓名，不愿透露填“匿名”" onChange={(value) => setField('callerName', value)} />
        <TextInput field="callbackPhone" label="回访电话" phone onChange={(value) => setField('callbackPhone', value)} />
      </div>
      <Field field="requestType" label="诉求类型" hint="数字键 1–6">
        <RequestTypePicker />
      </Field>
      <AddressInput />
      <Field field="content" label="诉求内容" hint={`${contentLength} 字${contentLength < MIN_CONTENT_CHARS ? `（至少 ${MIN_CONTENT_CHARS} 字）` : ''}`}>
        <textarea
          id={FIELD_ID.content}
          className="text-input content-input"
          value={draft.content}
          placeholder="按来电人原意记录：什么时间、什么地点、什么问题、有什么诉求"
          onChange={(e) => setField('content', e.target.value)}
          onBlur={() => visit('content')}
        />
      </Field>
      <div className={`form-field ${leafError ? 'has-error' : ''}`} data-field="leafCode">
        <CatalogueSearch onPick={(code) => void pickLeaf(code)} chosenPath={chosenPath} />
        <Suggestions suggestions={suggestions} />
        {draft.leafCode && <LeafCard code={draft.leafCode} />}
        {leafError && (
          <p className="field-error" role="alert">
            {leafError}
          </p>
        )}
      </div>
    </div>
  );
}
