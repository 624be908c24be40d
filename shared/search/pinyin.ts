/**
 * Text and pinyin as the catalogue search reads them (shared/search/catalogue-index.ts): queries and
 * terms normalised one UTF-16 unit for one, stored pinyin cut back into one syllable per character,
 * letter-pair keys and code-point positions for highlights.
 */

/**
 * Lower case and half-width, one UTF-16 unit in, one out — so a position in the normalised text is
 * the same position in the original and highlights need no mapping.
 */
export function normalizeText(text: string): string {
  // Fast path: Chinese text and lower-case ASCII need nothing (almost every term).
  const lower = text.toLowerCase();
  if (lower.length === text.length && !/[\uff01-\uff5e\u3000]/.test(lower)) return lower;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII (ＫＴＶ, ２) → ASCII
    else if (c === 0x3000) c = 0x20;
    const one = String.fromCharCode(c).toLowerCase();
    out += one.length === 1 ? one : String.fromCharCode(c);
  }
  return out;
}

/** Removes what a query may carry that no term does: spaces, pinyin apostrophes ("xi'an"), Chinese punctuation. */
export function normalizeQuery(query: string): string {
  return normalizeText(query)
    .replace(/[\s'’‘·，。、；：？！“”（）【】《》…—]/g, '')
    .replace(/ü/g, 'v');
}

export const isLatinQuery = (q: string) => /^[a-z]+$/.test(q);
export const isHanUnit = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

// ---- Pinyin syllables ------------------------------------------------------------------------

/**
 * Every toneless syllable pinyin-pro emits (ü as v). Used only to cut a stored pinyin string back
 * into one syllable per character — `SearchTerm` keeps "nuanqibure" and "nqbr", and the initials
 * alone cannot tell "zhong|guo" from "zhon|gguo".
 */
const SYLLABLE_LIST =
  'a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai ' +
  'chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da ' +
  'dai dan dang dao de den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen ' +
  'feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen ' +
  'heng hm hng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai ' +
  'kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang ' +
  'liao lie lin ling liu lo long lou lu luan lun luo lv lve m ma mai man mang mao me mei men meng mi mian miao mie min ming miu ' +
  'mo mou mu n na nai nan nang nao ne nei nen neng ng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve o ou pa ' +
  'pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que ' +
  'qun ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she ' +
  'shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te ' +
  'teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin ' +
  'xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen ' +
  'zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan ' +
  'zui zun zuo';
const MAX_SYLLABLE = 6;

/** A syllable as a number (base 27 over a–z), so checking a piece of pinyin needs no string slice. */
function syllableCode(s: string, from: number, to: number): number {
  let code = 0;
  for (let i = from; i < to; i++) code = code * 27 + (s.charCodeAt(i) - 96);
  return code;
}
const SYLLABLES = new Set(SYLLABLE_LIST.split(' ').map((s) => syllableCode(s, 0, s.length)));

/**
 * Writes into out[at..at+n] where each character's syllable starts in `pinyin` (out[at+n] is the
 * end): characters i's syllable is pinyin[out[at+i] .. out[at+i+1]). Han characters take one
 * syllable beginning with their initial; anything else (letters, digits) stands for itself.
 * False when the stored strings do not line up with the text.
 */
export function alignSyllables(text: string, pinyin: string, initials: string, out: Uint16Array, at: number): boolean {
  const n = text.length;
  if (initials.length !== n || pinyin.length > 0xffff) return false;
  // Almost always the longest real syllable that the next initial can follow is right ("zhong|guo",
  // "fang|an"); only when that fails, search every split, then allow readings outside the table.
  if (
    !alignGreedily(text, pinyin, initials, out, at) &&
    !placeSyllable(text, pinyin, initials, out, at, 0, 0, true) &&
    !placeSyllable(text, pinyin, initials, out, at, 0, 0, false)
  )
    return false;
  out[at + n] = pinyin.length;
  return true;
}

function alignGreedily(text: string, pinyin: string, initials: string, out: Uint16Array, at: number): boolean {
  const n = text.length;
  let p = 0;
  for (let i = 0; i < n; i++) {
    out[at + i] = p;
    if (pinyin.charCodeAt(p) !== initials.charCodeAt(i)) return false;
    if (!isHanUnit(text.charCodeAt(i))) {
      p++;
      continue;
    }
    const last = i + 1 === n;
    const nextInitial = last ? -1 : initials.charCodeAt(i + 1);
    let chosen = 0;
    let code = 0;
    for (let len = 1; len <= MAX_SYLLABLE && p + len <= pinyin.length; len++) {
      const c = pinyin.charCodeAt(p + len - 1);
      if (c < 97 || c > 122) break;
      code = code * 27 + (c - 96);
      const fits = last ? p + len === pinyin.length : pinyin.charCodeAt(p + len) === nextInitial;
      if (fits && SYLLABLES.has(code)) chosen = len;
    }
    if (chosen === 0) return false;
    p += chosen;
  }
  return p === pinyin.length;
}

function placeSyllable(text: string, pinyin: string, initials: string, out: Uint16Array, at: number, i: number, p: number, strict: boolean): boolean {
  const n = text.length;
  if (i === n) return p === pinyin.length;
  out[at + i] = p;
  if (pinyin.charCodeAt(p) !== initials.charCodeAt(i)) return false;
  if (!isHanUnit(text.charCodeAt(i))) return placeSyllable(text, pinyin, initials, out, at, i + 1, p + 1, strict);
  // Codes of the pieces pinyin[p..p+len), for len = 1..6, while they are letters.
  const max = Math.min(MAX_SYLLABLE, pinyin.length - p);
  let code = 0;
  let letters = 0;
  const codes = [0, 0, 0, 0, 0, 0, 0];
  while (letters < max) {
    const c = pinyin.charCodeAt(p + letters);
    if (c < 97 || c > 122) break;
    code = code * 27 + (c - 96);
    codes[++letters] = code;
  }
  for (let len = strict ? letters : max; len >= 1; len--) {
    const next = p + len;
    if (i + 1 < n && pinyin.charCodeAt(next) !== initials.charCodeAt(i + 1)) continue;
    if (strict && !SYLLABLES.has(codes[len]!)) continue;
    if (placeSyllable(text, pinyin, initials, out, at, i + 1, next, strict)) return true;
  }
  return false;
}

// ---- Positions -------------------------------------------------------------------------------

/** Two ASCII characters as one number (0 … 16383), -1 otherwise: keys for letter-pair tables. */
export function pairCode(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  return a < 128 && b < 128 ? (a << 7) | b : -1;
}

/** UTF-16 range → code-point range, for the rare term with characters outside the BMP. */
export function toPoints(text: string, start: number, end: number): [number, number] {
  const points = (upTo: number) => {
    let n = 0;
    for (let i = 0; i < upTo; i++) {
      const c = text.charCodeAt(i);
      if (!(c >= 0xdc00 && c <= 0xdfff)) n++;
    }
    return n;
  };
  return [points(start), points(end)];
}
