// Differential test of the regex engine against node's RegExp (used by
// tests/e2e/regex_diff.sh). Generates deterministic random patterns from the
// subset where the two agree (literals, ., classes, \d \w \s \b, ^ $,
// groups, alternation, greedy and lazy quantifiers, flags i m s) and random
// texts (mostly ASCII, some é € and an emoji, with newlines; ASCII only for
// patterns with \w or \b, which RegExp limits to ASCII), runs every case
// through the engine (the regex_match program) and through RegExp with the
// u flag (code points, simple case folding), and compares the match span,
// and the capture groups when no group is inside a quantifier (RegExp resets
// those at each iteration; Perl, RE2, Rust and this engine keep the last).
'use strict';
const { execFileSync } = require('child_process');

const [prog, countArg, seedArg] = process.argv.slice(2);
const COUNT = Number(countArg || 3000);
let seed = Number(seedArg || 20240517) >>> 0;
function rnd(n) { // xorshift32: the same cases every run
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed % n;
}
const pick = (xs) => xs[rnd(xs.length)];

// Each generator returns [source, nullable]. A quantified group whose body can
// match empty is avoided: RegExp refuses empty iterations of a loop (its
// "empty check"), which can change the overall match; Pike VMs do not.
function genAlt(depth, st) {
  let [s, nul] = genConcat(depth, st);
  while (rnd(5) === 0) {
    const [t, n2] = genConcat(depth, st);
    s += '|' + t;
    nul = nul || n2;
  }
  return [s, nul];
}
function genConcat(depth, st) {
  let s = '', nul = true;
  const n = 1 + rnd(4);
  for (let i = 0; i < n; i++) {
    const [t, n2] = genItem(depth, st);
    s += t;
    nul = nul && n2;
  }
  return [s, nul];
}
function genItem(depth, st) {
  const r = rnd(20);
  if (r < 2) return [pick(['^', '$', '\\b', '\\B']), true]; // assertions are not quantified
  let atom, capInside = false, nullable = false;
  if (r < 9) atom = pick(['a', 'b', 'c', 'a', 'b', 'é', ' ', '1', 'A']);
  else if (r < 11) atom = '.';
  else if (r < 14) atom = pick(['[ab]', '[^a]', '[a-c]', '[^\\s]', '[b-cé]', '[\\d ]', '[A-B]']);
  else if (r < 16) atom = pick(['\\d', '\\w', '\\s', '\\W', '\\S', '\\D']);
  else if (depth < 3) {
    const cap = rnd(2) === 0;
    if (cap) st.groups++;
    const inner = { groups: 0, inQuant: false };
    const [body, nul] = genAlt(depth + 1, inner);
    st.groups += inner.groups;
    st.inQuant = st.inQuant || inner.inQuant;
    atom = (cap ? '(' : '(?:') + body + ')';
    capInside = cap || inner.groups > 0;
    nullable = nul;
  } else atom = 'b';
  if (!nullable && rnd(3) === 0) {
    let q = pick(['*', '+', '?', '{2}', '{1,}', '{0,2}', '{1,3}']);
    if (rnd(3) === 0) q += '?';
    if (capInside) st.inQuant = true;
    return [atom + q, q[0] !== '+' && q[1] !== '1' && q[1] !== '2'];
  }
  return [atom, nullable];
}
// RegExp's \w (so \b) is ASCII; this engine's is Unicode: patterns using
// them get ASCII texts.
function genText(asciiOnly) {
  let s = '';
  const n = rnd(14);
  const alphabet = ['a', 'a', 'b', 'b', 'c', ' ', '1', '\n', 'A'].concat(
    asciiOnly ? ['c', 'b', 'a'] : ['é', '€', '😀']);
  for (let i = 0; i < n; i++) s += pick(alphabet);
  return s;
}
const esc = (s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const bytes = (s) => Buffer.byteLength(s, 'utf8');

const cases = [];
for (let k = 0; k < COUNT; k++) {
  const st = { groups: 0, inQuant: false };
  const [src] = genAlt(0, st);
  const flags = ['', '', 'i', 'm', 's', 'im', 'is', 'ms'][rnd(8)];
  const text = genText(/\\[wWbB]/.test(src));
  const cps = [...text];
  const startCp = rnd(3) === 0 ? rnd(cps.length + 1) : 0;
  const startUnits = cps.slice(0, startCp).join('').length;
  let want;
  try {
    const re = new RegExp(src, flags + 'gu');
    re.lastIndex = startUnits;
    const m = re.exec(text);
    if (!m) want = '-';
    else {
      const spans = [];
      const end = m.index + m[0].length;
      spans.push(bytes(text.slice(0, m.index)) + ',' + bytes(text.slice(0, end)));
      want = { whole: spans[0], groups: null };
      if (!st.inQuant) {
        // Group offsets from the d flag (indices).
        const red = new RegExp(src, flags + 'gud');
        red.lastIndex = startUnits;
        const md = red.exec(text);
        want.groups = md.indices.map((ix) => ix === undefined ? '?' :
          bytes(text.slice(0, ix[0])) + ',' + bytes(text.slice(0, ix[1]))).join(' ');
      }
    }
  } catch (e) {
    continue; // not valid for RegExp: outside the shared subset
  }
  cases.push({ src, flags, text, start: bytes(cps.slice(0, startCp).join('')), want });
}

const input = cases.map((c) => `${c.flags || '-'}\t${esc(c.src)}\t${esc(c.text)}\t${c.start}`).join('\n') + '\n';
const out = execFileSync(prog, { input, maxBuffer: 1 << 26 }).toString().split('\n');
let bad = 0, withGroups = 0, matched = 0;
cases.forEach((c, k) => {
  const got = out[k];
  let ok;
  if (c.want === '-') ok = got === '-';
  else {
    matched++;
    if (c.want.groups !== null) {
      withGroups++;
      ok = got === c.want.groups;
    } else ok = got !== undefined && got.split(' ')[0] === c.want.whole;
  }
  if (!ok && bad++ < 15)
    console.log(`MISMATCH /${c.src}/${c.flags} on ${JSON.stringify(c.text)} from ${c.start}: ` +
      `engine [${got}], RegExp [${c.want === '-' ? '-' : (c.want.groups ?? c.want.whole)}]`);
});
console.log(`regex_diff: ${cases.length} cases (${matched} matching, ${withGroups} with groups compared), ${bad} mismatches`);
process.exit(bad ? 1 : 0);
