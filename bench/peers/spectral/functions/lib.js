// Helpers shared by the lsc-saf checks of the Spectral peer (bench/peers/spectral).
// Written for this peer from the rule pack's own definitions (rules/lsc-saf, docs/rules.md).

export const isNumber = (x) => typeof x === 'number' && Number.isFinite(x);
export const isString = (x) => typeof x === 'string';
export const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
export const present = (x) => x !== undefined && x !== null;
// lower(trim(s)) of the rules, '' for anything that is not a string
const BLANK = /^[\t\n\v\f\r \u00a0]+|[\t\n\v\f\r \u00a0]+$/g;
export const trim = (s) => s.replace(BLANK, '');
export const norm = (x) => (isString(x) ? trim(x).replace(/[A-Z]/g, (c) => c.toLowerCase()) : '');
export const nonBlank = (x) => isString(x) && trim(x).length > 0;
// the items of `[*]` over a value: an array's items or an object's member values
export const items = (x) => (Array.isArray(x) ? x.map((v, i) => [i, v]) : isObject(x) ? Object.entries(x) : []);

// Exact decimals: a JSON number taken at its shortest round-trip text (as assure reads it),
// held as a BigInt scaled by 10^-scale. Enough for sums, differences, products and comparisons.
export function dec(x) {
	const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
	if (!m) throw new Error('not a decimal: ' + x);
	const frac = m[3] || '';
	let n = BigInt(m[1] + m[2] + frac);
	let scale = frac.length - Number(m[4] || 0);
	if (scale < 0) {
		n *= 10n ** BigInt(-scale);
		scale = 0;
	}
	return { n, scale };
}
const align = (a, b) => {
	const s = Math.max(a.scale, b.scale);
	return [a.n * 10n ** BigInt(s - a.scale), b.n * 10n ** BigInt(s - b.scale), s];
};
export const add = (a, b) => { const [x, y, s] = align(a, b); return { n: x + y, scale: s }; };
export const sub = (a, b) => { const [x, y, s] = align(a, b); return { n: x - y, scale: s }; };
export const mul = (a, b) => ({ n: a.n * b.n, scale: a.scale + b.scale });
export const cmp = (a, b) => { const [x, y] = align(a, b); return x < y ? -1 : x > y ? 1 : 0; };
export const sum = (xs) => xs.reduce((t, x) => add(t, dec(x)), { n: 0n, scale: 0 });
export const show = (d) => {
	const neg = d.n < 0n, digits = (neg ? -d.n : d.n).toString().padStart(d.scale + 1, '0');
	const i = digits.length - d.scale;
	const text = d.scale ? (digits.slice(0, i) + '.' + digits.slice(i)).replace(/\.?0+$/, '') : digits;
	return (neg ? '-' : '') + text;
};

// Dates: the forms assure's date() reads (docs/rules.md, Dates), as 'YYYY-MM-DD', or null.
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september',
	'october', 'november', 'december'];
const monthOf = (name) => {
	const s = name.toLowerCase();
	const i = s.length === 3 ? MONTHS.indexOf(s) : FULL.indexOf(s);
	return i < 0 ? 0 : i + 1;
};
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ymd = (y, m, d) => {
	if (!(y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m))) return null;
	return String(y).padStart(4, '0') + '-' + String(m).padStart(2, '0') + '-' + String(d).padStart(2, '0');
};
export function date(text) {
	if (!isString(text)) return null;
	const s = trim(text);
	let m;
	if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) return ymd(+m[1], +m[2], +m[3]);
	if ((m = /^(\d{1,2})([./])(\d{1,2})\2(\d{4})$/.exec(s))) return ymd(+m[4], +m[3], +m[1]);
	if ((m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})$/.exec(s))) return ymd(+m[3], monthOf(m[2]), +m[1]);
	if ((m = /^([A-Za-z]+)(?:\s+|-)(\d{4}|\d{2})$/.exec(s))) {
		const mo = monthOf(m[1]);
		if (!mo || (m[2].length === 2 && /\s/.test(s))) return null;
		const y = m[2].length === 2 ? 2000 + +m[2] : +m[2];
		return ymd(y, mo, daysIn(y, mo));
	}
	return null;
}

export const isFy = (x) => {
	const m = isString(x) && /^(\d{4})-(\d{2})$/.exec(x);
	return !!m && (+m[1] + 1) % 100 === +m[2];
};

// get($, 'a.b'): a dotted field, undefined when absent
export const get = (doc, dotted) =>
	dotted.split('.').reduce((v, k) => (isObject(v) && k in v ? v[k] : undefined), doc);

// $..[names]: every member named one of `names`, at any depth, with its path
export function descend(value, names, path = [], out = []) {
	if (Array.isArray(value)) value.forEach((v, i) => descend(v, names, [...path, i], out));
	else if (isObject(value))
		for (const [k, v] of Object.entries(value)) {
			if (names.includes(k)) out.push([[...path, k], v]);
			descend(v, names, [...path, k], out);
		}
	return out;
}
