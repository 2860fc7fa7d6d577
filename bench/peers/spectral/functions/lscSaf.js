// One Spectral function for the single-file lsc-saf rules: `given: $` (the whole return) and
// functionOptions {rule: 'FIN-004', ...}; it returns one result per breach, at the breaching
// member's path, as assure reports one finding per subject. The parameters are the rule pack's
// defaults, fixed here (the ruleset passes asOf); nothing is read from another return.
import {
	isNumber, isString, isObject, present, norm, nonBlank, items, dec, sub, mul, cmp, sum, show, date, isFy, get,
	descend,
} from './lib.js';

const P = {
	tolerance: '0', ytdTolerance: '1.0', maxUnidentifiedShare: '0.05', minRecurrentShare: '0.5',
	closed: ['complete', 'completed', 'closed'],
	decisionPurposes: ['approve', 'decision', 'endorse'], gateway: 2,
	kinds: ['finance', 'control_totals', 'paper', 'action_log', 'risk_register', 'schemes', 'performance'],
	required: {
		finance: ['org', 'org_name', 'sector', 'year', 'month', 'ytd.plan', 'ytd.actual', 'forecast.plan', 'forecast.outturn'],
		control_totals: ['year', 'system', 'orgs', 'agreed', 'source'],
		paper: ['meeting', 'meeting_date', 'agenda_item', 'title', 'purpose'],
		action_log: ['meeting', 'as_at', 'actions'],
		risk_register: ['as_at', 'appetite', 'objectives', 'risks'],
		schemes: ['org', 'year', 'schemes'],
		performance: ['org', 'year', 'month', 'metrics'],
	},
	items: {
		action_log: ['code', 'title', 'status'],
		risk_register: ['id', 'objective', 'title', 'likelihood', 'consequence', 'score'],
		schemes: ['id', 'title', 'value', 'recurrent', 'stage', 'gateway'],
		performance: ['id', 'title', 'value', 'target', 'direction'],
	},
	enums: {
		finance: ['trust', 'ccg', 'icb', 'system'],
		paper: ['note', 'information', 'discussion', 'endorse', 'approve', 'decision'],
		schemes: ['idea', 'opportunity', 'design', 'plan', 'delivery', 'closed'],
		performance: ['higher_is_better', 'lower_is_better'],
	},
	ranges: { risk_register: [1, 5], schemes: [0, 4] },
};
const D = (x) => dec(x);
const gt = (a, b) => cmp(a, b) > 0;
const list = (doc, key) => items(doc[key]).map(([i, v]) => [[key, i], v]);
const who = (x) => (isObject(x) && (x.code ?? x.id ?? x.title)) ?? '?';
const kindIs = (doc, kind) => isObject(doc) && doc.kind === kind;
const member = (doc, key) => (isObject(doc) && key in doc ? [[[key], doc[key]]] : []);

// each check: (doc, opts) => [[path, message], ...]
const checks = {
	'FIN-001': (doc) => {
		if (!kindIs(doc, 'finance') || !isString(doc.year) || !isString(doc.org)) return [];
		return member(doc, 'forecast').flatMap(([path, f]) => {
			const agreed = doc.control_total, outturn = isObject(f) ? f.outturn : undefined;
			if (!isNumber(agreed) || !isNumber(outturn)) return [];
			const gap = sub(D(agreed), D(outturn));
			return gt(gap, D(P.tolerance)) ? [[path, `${doc.org} forecasts an outturn of ${outturn} against the control total of ${agreed} it states: ${show(gap)} worse (£m)`]] : [];
		});
	},
	'FIN-004': (doc) => (kindIs(doc, 'finance') ? member(doc, 'ytd') : []).flatMap(([path, y]) => {
		if (!isObject(y) || !isNumber(y.plan) || !isNumber(y.actual)) return [];
		const gap = sub(D(y.plan), D(y.actual));
		return gt(gap, D(P.ytdTolerance)) ? [[path, `the year-to-date actual of ${y.actual} is ${show(gap)} worse than the plan of ${y.plan} (£m)`]] : [];
	}),
	'FIN-006': (doc) => (kindIs(doc, 'finance') ? member(doc, 'capital') : []).flatMap(([path, c]) =>
		isObject(c) && isNumber(c.envelope) && isNumber(c.forecast) && gt(D(c.forecast), D(c.envelope))
			? [[path, `the capital forecast of ${c.forecast} is above the capital envelope of ${c.envelope} (£m)`]] : []),
	// unidentified / plan <= share, exactly: unidentified <= share * plan (plan > 0)
	'FIN-007': (doc) => (kindIs(doc, 'finance') ? member(doc, 'cip') : []).flatMap(([path, c]) =>
		isObject(c) && isNumber(c.plan) && isNumber(c.unidentified) && c.plan > 0 &&
		gt(D(c.unidentified), mul(D(P.maxUnidentifiedShare), D(c.plan)))
			? [[path, `${c.unidentified} of the ${c.plan} savings plan is unidentified, above ${Number(P.maxUnidentifiedShare) * 100}%`]] : []),
	'FIN-008': (doc) => (kindIs(doc, 'finance') ? member(doc, 'cip') : []).flatMap(([path, c]) =>
		isObject(c) && isNumber(c.plan) && isNumber(c.recurrent) && c.plan > 0 &&
		cmp(D(c.recurrent), mul(D(P.minRecurrentShare), D(c.plan))) < 0
			? [[path, `only ${c.recurrent} of the ${c.plan} savings plan is recurrent, below ${Number(P.minRecurrentShare) * 100}%`]] : []),
	'FIN-009': (doc) => (kindIs(doc, 'control_totals') ? member(doc, 'system') : []).flatMap(([path, s]) => {
		const figures = items(doc.orgs).map(([, v]) => v);
		if (!isNumber(s) || figures.length === 0 || !figures.every(isNumber)) return [];
		const total = sum(figures), gap = sub(D(s), total);
		return gt(gap, D(P.tolerance)) ? [[path, `the organisations' control totals add up to ${show(total)}, ${show(gap)} worse than the system's ${s} (£m)`]] : [];
	}),
	'GOV-001': (doc, o) => (kindIs(doc, 'action_log') ? list(doc, 'actions') : []).flatMap(([path, a]) => {
		const due = isObject(a) ? a.due : undefined, day = date(due);
		if (P.closed.includes(norm(isObject(a) ? a.status : undefined)) || !day) return [];
		return day < o.asOf ? [[path, `action ${who(a)} was due ${day} and is open as of ${o.asOf}`]] : [];
	}),
	'GOV-002': (doc) => (kindIs(doc, 'action_log') ? list(doc, 'actions') : []).flatMap(([path, a]) =>
		!P.closed.includes(norm(isObject(a) ? a.status : undefined)) && !date(isObject(a) ? a.due : undefined)
			? [[path, `open action ${who(a)} has no due date`]] : []),
	'GOV-003': (doc) => (kindIs(doc, 'action_log') ? list(doc, 'actions') : []).flatMap(([path, a]) =>
		nonBlank(isObject(a) ? a.lead : undefined) ? [] : [[path, `action ${who(a)} has no lead`]]),
	'GOV-005': (doc) => {
		if (!kindIs(doc, 'action_log')) return [];
		const acts = list(doc, 'actions');
		const codes = acts.map(([, a]) => (isObject(a) ? a.code : undefined));
		return acts.flatMap(([path, a], i) =>
			isString(codes[i]) && codes.filter((c) => c === codes[i]).length !== 1 ? [[path, `action code ${codes[i]} is used more than once`]] : []);
	},
	'GOV-006': (doc) => (kindIs(doc, 'paper') ? member(doc, 'risks') : []).flatMap(([path, r]) =>
		isObject(r) && norm(r.associated) === 'yes' && norm(r.on_register) !== 'yes' ? [[path, 'the paper has associated risks that are not on the risk register']] : []),
	'GOV-007': (doc) => (kindIs(doc, 'paper') && 'title' in doc && items(doc.strategic_objectives).length === 0
		? [[['title'], 'the paper is linked to no strategic objective']] : []),
	'GOV-008': (doc) => (kindIs(doc, 'paper') && 'title' in doc && !nonBlank(doc.conflicts_of_interest)
		? [[['title'], 'the paper does not state conflicts of interest']] : []),
	'GOV-009': (doc) => (kindIs(doc, 'paper') ? member(doc, 'risks') : []).flatMap(([path, r]) =>
		isObject(r) && norm(r.on_register) === 'yes' && !items(r.references).some(([, v]) => nonBlank(v))
			? [[path, "the paper's risks are on the register but no reference is given"]] : []),
	'PERF-001': (doc) => (kindIs(doc, 'performance') ? list(doc, 'metrics') : []).flatMap(([path, m]) => {
		if (!isObject(m) || m.zero_tolerance === true || !present(m.value) || !present(m.target)) return [];
		if (m.direction !== 'higher_is_better' && m.direction !== 'lower_is_better') return [];
		if (!isNumber(m.value) || !isNumber(m.target)) return []; // assure: an evaluation failure
		const c = cmp(D(m.value), D(m.target));
		const ok = m.direction === 'higher_is_better' ? c >= 0 : c <= 0;
		return ok ? [] : [[path, `${who(m)} is ${m.value} against a target of ${m.target} (${m.direction})`]];
	}),
	'PERF-002': (doc) => (kindIs(doc, 'performance') ? list(doc, 'metrics') : []).flatMap(([path, m]) =>
		isObject(m) && m.zero_tolerance === true && isNumber(m.value) && m.value > 0 ? [[path, `zero-tolerance metric ${who(m)} is ${m.value}`]] : []),
	'QUA-001': (doc) => qia(doc, 'quality'),
	'QUA-003': (doc) => qia(doc, 'equality'),
	'QUA-002': (doc) => (kindIs(doc, 'paper') && isObject(doc.impact_assessments) ? ['quality', 'equality'] : [])
		.filter((k) => k in doc.impact_assessments).flatMap((k) => {
			const a = doc.impact_assessments[k];
			return isObject(a) && norm(a.status) === 'n/a' && !nonBlank(a.comment)
				? [[['impact_assessments', k], `the ${k} impact assessment is marked n/a without a comment`]] : [];
		}),
	'QUA-004': (doc) => scheme(doc, 'qia'),
	'QUA-005': (doc) => scheme(doc, 'eia'),
	'RSK-001': (doc) => risks(doc).flatMap(([path, r]) =>
		isObject(r) && isNumber(r.likelihood) && isNumber(r.consequence) && 'score' in r &&
		!(isNumber(r.score) && cmp(D(r.score), mul(D(r.likelihood), D(r.consequence))) === 0)
			? [[path, `risk ${who(r)} scores ${r.score}, not ${r.likelihood} x ${r.consequence}`]] : []),
	'RSK-002': (doc) => risks(doc).flatMap(([path, r]) => {
		if (!isObject(r) || !isNumber(r.score) || !isNumber(doc.appetite) || !(r.score > doc.appetite)) return [];
		const open = items(r.actions).filter(([, a]) => !(isObject(a) && isString(a.status) && P.closed.includes(norm(a.status))));
		return open.length ? [] : [[path, `risk ${who(r)} scores ${r.score}, above the appetite of ${doc.appetite}, with no open action`]];
	}),
	'RSK-003': (doc, o) => risks(doc).flatMap(([path, r]) => {
		const day = date(isObject(r) ? r.review_date : undefined);
		return day && !(day < o.asOf) ? [] : [[path, `risk ${who(r)} is past its review date (${day ?? 'none'})`]];
	}),
	'RSK-004': (doc) => risks(doc).flatMap(([path, r]) => (nonBlank(isObject(r) ? r.owner : undefined) ? [] : [[path, `risk ${who(r)} has no owner`]])),
	'RSK-005': (doc) => risks(doc).flatMap(([path, r]) => {
		if (!isObject(r) || !('objective' in r)) return [];
		const ids = items(doc.objectives).map(([, o]) => (isObject(o) ? o.id : undefined));
		return ids.some((id) => id === r.objective) ? [] : [[path, `risk ${who(r)} is linked to objective ${r.objective}, not on the register`]];
	}),
	'RSK-006': (doc) => risks(doc).flatMap(([path, r]) =>
		isObject(r) && isNumber(r.target_score) && isNumber(r.score) && r.target_score > r.score
			? [[path, `risk ${who(r)} has a target score of ${r.target_score}, above its score of ${r.score}`]] : []),
	'VAL-001': (doc) => {
		if (!isObject(doc) || !isString(doc.kind) || !(doc.kind in P.required)) return [];
		const missing = P.required[doc.kind].filter((f) => !present(get(doc, f)));
		return missing.length ? [[[], `this ${doc.kind} return lacks ${missing.join(', ')}`]] : [];
	},
	'VAL-002': (doc) => {
		const kindOk = isObject(doc) && isString(doc.kind) && P.kinds.includes(doc.kind);
		return kindOk && doc.schema === 1 ? [] : [[[], kindOk ? `schema ${doc.schema} is not supported` : 'not a return of a known kind']];
	},
	'VAL-003': (doc) => {
		if (!isObject(doc) || !isString(doc.kind) || !P.kinds.includes(doc.kind)) return [];
		const out = [];
		if ('year' in doc && !isFy(doc.year)) out.push([['year'], `year '${doc.year}' is not a financial year written YYYY-YY`]);
		if ('month' in doc && !(isNumber(doc.month) && Number.isInteger(doc.month) && doc.month >= 1 && doc.month <= 12))
			out.push([['month'], `month ${JSON.stringify(doc.month)} is not a whole number from 1 to 12`]);
		return out;
	},
	'VAL-004': (doc) => (isObject(doc) && (doc.kind === 'finance' || doc.kind === 'control_totals')
		? descend(doc, ['plan', 'actual', 'outturn', 'envelope', 'forecast', 'identified', 'unidentified', 'recurrent', 'delivered_ytd', 'control_total', 'system'])
		: []).flatMap(([path, v]) => (isObject(v) || isNumber(v) ? [] : [[path, `a figure must be a number of £ millions, not ${JSON.stringify(v)}`]])),
	'VAL-005': (doc) => {
		if (!isObject(doc) || !isString(doc.kind) || !(doc.kind in P.items)) return [];
		const req = P.items[doc.kind];
		return ['actions', 'risks', 'schemes', 'metrics'].flatMap((k) => list(doc, k)).flatMap(([path, it]) => {
			const missing = isObject(it) ? req.filter((f) => !present(it[f])) : req;
			return missing.length ? [[path, `this item lacks ${missing.join(', ')}`]] : [];
		});
	},
	'VAL-006': (doc) => (isObject(doc) && isString(doc.kind) && doc.kind in P.enums
		? descend(doc, ['sector', 'purpose', 'stage', 'direction']) : [])
		.flatMap(([path, v]) => (isString(v) && P.enums[doc.kind].includes(v) ? [] : [[path, `${JSON.stringify(v)} is not one of: ${P.enums[doc.kind].join(', ')}`]])),
	'VAL-007': (doc) => (isObject(doc) && isString(doc.kind) && doc.kind in P.ranges
		? descend(doc, ['likelihood', 'consequence', 'gateway']) : []).flatMap(([path, v]) => {
		const [lo, hi] = P.ranges[doc.kind];
		return isNumber(v) && Number.isInteger(v) && v >= lo && v <= hi ? [] : [[path, `${JSON.stringify(v)} is not a whole number from ${lo} to ${hi}`]];
	}),
	'VAL-008': (doc) => (kindIs(doc, 'control_totals') ? list(doc, 'orgs') : []).flatMap(([path, v]) =>
		isNumber(v) ? [] : [[path, `a control total must be a number of £ millions, not ${JSON.stringify(v)}`]]),
};

function qia(doc, which) {
	if (!kindIs(doc, 'paper') || !isString(doc.purpose) || !P.decisionPurposes.includes(doc.purpose)) return [];
	const ia = isObject(doc.impact_assessments) ? doc.impact_assessments[which] : undefined;
	const status = norm(isObject(ia) ? ia.status : undefined);
	return status === 'yes' || status === 'n/a' ? [] : [[['purpose'], `a paper to ${doc.purpose} has no ${which} impact assessment`]];
}
function scheme(doc, which) {
	return (kindIs(doc, 'schemes') ? list(doc, 'schemes') : []).flatMap(([path, s]) => {
		if (!isObject(s)) return [];
		const stage = s.stage ?? '';
		if (!(stage === 'delivery' || (isNumber(s.gateway) && s.gateway >= P.gateway))) return [];
		return norm(isObject(s[which]) ? s[which].status : undefined) === 'approved' ? [] : [[path, `scheme ${who(s)} has no approved ${which.toUpperCase()}`]];
	});
}
function risks(doc) {
	return kindIs(doc, 'risk_register') ? list(doc, 'risks') : [];
}

export default function lscSaf(input, options) {
	const check = checks[options.rule];
	if (!check) throw new Error('lscSaf: no check for ' + options.rule);
	return check(input, options).map(([path, message]) => ({ message: `${options.rule}: ${message}`, path }));
}
