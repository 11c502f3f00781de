/**
 * The editor texts of the node and the credential, as a new user meets them in n8n's panel:
 * labels short enough not to be cut off, one-sentence descriptions, short grammatical
 * placeholders, n8n's casing and units, and an action on every operation.
 *
 * The limits come from the real n8n 2.41 editor at 1400x900 (issue 14): labels were cut at about
 * 25 to 29 characters inside collections, and action names at about 30 characters on the canvas.
 */
import type {
	INode,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypes,
	INodeType,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NexudusOAuth2Api } from '../../../credentials/NexudusOAuth2Api.credentials';
import { Nexudus } from '../../../nodes/Nexudus/Nexudus.node';
import { NexudusTrigger } from '../../../nodes/Nexudus/NexudusTrigger.node';

export const LIMITS = {
	/** A parameter's label (displayName), so nothing is cut off in the panel. */
	label: 24,
	/** A description or hint: n8n's tooltips stay at a few lines. */
	description: 200,
	/** A placeholder: shown inside the input, cut at its width. */
	placeholder: 40,
	/** An action name: shown on the canvas and in the node creator. */
	action: 30,
	/** A notice's text (its displayName), shown in full above the fields. */
	notice: 250,
};

/** Words n8n writes in lower case inside Title Case labels. */
const SMALL_WORDS = new Set([
	'a',
	'an',
	'and',
	'as',
	'at',
	'by',
	'for',
	'from',
	'in',
	'of',
	'on',
	'or',
	'per',
	'the',
	'to',
	'with',
]);
/** Units n8n writes in lower case in parentheses: "(ms)". */
const LOWER_UNITS = new Set(['ms', 's']);

export interface Text {
	/** Where the text is: "node > Update Fields > Location > From List". */
	where: string;
	kind: 'label' | 'description' | 'hint' | 'placeholder' | 'action' | 'option' | 'notice';
	text: string;
}

type AnyOption = INodeProperties | INodePropertyOptions | INodePropertyCollection;

function isProperty(option: AnyOption): option is INodeProperties {
	return 'type' in option && typeof (option as INodeProperties).type === 'string';
}

function isCollectionGroup(option: AnyOption): option is INodePropertyCollection {
	return 'values' in option && Array.isArray((option as INodePropertyCollection).values);
}

/** Every editor text of these properties, nested options, collections and locator modes included. */
export function collectTexts(properties: INodeProperties[], where: string): Text[] {
	const texts: Text[] = [];
	const add = (kind: Text['kind'], at: string, text: unknown) => {
		if (typeof text === 'string' && text !== '') texts.push({ where: at, kind, text });
	};
	const walk = (property: INodeProperties, parent: string) => {
		const at = `${parent} > ${property.type === 'notice' ? property.name : property.displayName}`;
		add(property.type === 'notice' ? 'notice' : 'label', at, property.displayName);
		add('description', at, property.description);
		add('hint', at, property.hint);
		add('placeholder', at, property.placeholder);
		for (const mode of property.modes ?? []) {
			const modeAt = `${at} > ${mode.displayName}`;
			add('label', modeAt, mode.displayName);
			add('placeholder', modeAt, mode.placeholder);
			add('hint', modeAt, mode.hint);
		}
		for (const option of (property.options ?? []) as AnyOption[]) {
			if (isProperty(option)) {
				walk(option, at);
			} else if (isCollectionGroup(option)) {
				const groupAt = `${at} > ${option.displayName}`;
				add('label', groupAt, option.displayName);
				for (const value of option.values) walk(value, groupAt);
			} else {
				const optionAt = `${at} > ${option.name}`;
				add('option', optionAt, option.name);
				add('description', optionAt, option.description);
				if (property.name === 'operation') {
					if (typeof option.action !== 'string' || option.action === '') {
						texts.push({ where: optionAt, kind: 'action', text: '' });
					} else {
						add('action', optionAt, option.action);
					}
				}
			}
		}
	};
	for (const property of properties) walk(property, where);
	return texts;
}

/** "e.g." and friends are not sentence ends; neither is the dot of "2.5" or of "...". */
function sentenceCount(text: string): number {
	const stripped = text
		.replace(/\b(e\.g|i\.e|etc|vs|approx)\./gi, '$1')
		.replace(/\.\.\./g, '…')
		.replace(/(\d)\.(\d)/g, '$1$2');
	return stripped.split(/[.!?]["')]?\s+(?=\S)/).length;
}

const VOWEL_SOUND_EXCEPTIONS = /^(u[bcdfgjklmnprstvz][aeiouy]|uni|use|usu|eu|one|once)/i;
const SILENT_H = /^(hour|honest|honou?r|heir)/i;

/** "a inventory asset", "an coworker": the article does not match the next word's sound. */
function wrongArticle(text: string): string | undefined {
	for (const match of text.matchAll(/\b(a|an)\s+([A-Za-z][\w-]*)/g)) {
		const [whole, article, word] = match;
		const vowelSound = /^[aeiou]/i.test(word)
			? !VOWEL_SOUND_EXCEPTIONS.test(word)
			: SILENT_H.test(word);
		if (article.toLowerCase() === 'a' && vowelSound) return whole;
		if (article.toLowerCase() === 'an' && !vowelSound) return whole;
	}
	return undefined;
}

/** Title Case as n8n writes labels: "Writes per Minute", "Request Interval (ms)". */
function titleCaseProblem(label: string): string | undefined {
	const words = label.split(/\s+/);
	for (const [index, raw] of words.entries()) {
		const unit = /^\((\w+)\)$/.exec(raw);
		if (unit && LOWER_UNITS.has(unit[1])) continue;
		const word = raw.replace(/^[("']+|[)"',:?]+$/g, '');
		if (word === '' || /^\d/.test(word)) continue;
		if (index > 0 && SMALL_WORDS.has(word)) continue;
		if (!/^[A-Z]/.test(word)) return raw;
	}
	return undefined;
}

const MISCASED_UNIT = /\((Ms|S|Sec|Secs|Min|Mins|Kb|Mb|Gb)\)/;

/** Every rule the editor texts must follow, as "where (kind): problem" lines. */
export function problemsOf(texts: Text[]): string[] {
	const problems: string[] = [];
	for (const { where, kind, text } of texts) {
		const fail = (problem: string) => problems.push(`${where} (${kind}): ${problem}: "${text}"`);
		if (kind === 'action' && text === '') {
			fail('operation option without an action');
			continue;
		}
		const article = wrongArticle(text);
		if (article) fail(`wrong article "${article}"`);
		if (MISCASED_UNIT.test(text)) fail('unit in n8n casing is lower case, e.g. "(ms)"');
		switch (kind) {
			case 'label': {
				if (text.length > LIMITS.label)
					fail(`label over ${LIMITS.label} characters (${text.length})`);
				const word = titleCaseProblem(text);
				if (word) fail(`label not in Title Case at "${word}"`);
				break;
			}
			case 'description':
			case 'hint':
				if (text.length > LIMITS.description)
					fail(`over ${LIMITS.description} characters (${text.length})`);
				if (sentenceCount(text) > 1) fail('more than one sentence');
				break;
			case 'placeholder':
				if (text.length > LIMITS.placeholder)
					fail(`placeholder over ${LIMITS.placeholder} characters (${text.length})`);
				break;
			case 'action':
				if (text.length > LIMITS.action)
					fail(`action over ${LIMITS.action} characters (${text.length})`);
				break;
			case 'notice':
				if (text.length > LIMITS.notice)
					fail(`notice over ${LIMITS.notice} characters (${text.length})`);
				break;
			case 'option':
				break;
		}
	}
	// Shared properties (the Options of every operation) would repeat the same line.
	return [...new Set(problems)];
}

const nodeDescription = new Nexudus().description;
const credential = new NexudusOAuth2Api();
const nodeTexts = collectTexts(nodeDescription.properties, 'node');
const credentialTexts = collectTexts(credential.properties, 'credential');
const triggerDescription = new NexudusTrigger().description;
const triggerTexts = collectTexts(triggerDescription.properties, 'trigger');

describe('editor texts of the node and the credential', () => {
	it('the walk reaches nested collections, locator modes and operation actions', () => {
		const where = nodeTexts.map((text) => `${text.where} (${text.kind})`);
		expect(where).toEqual(
			expect.arrayContaining([
				'node > Update Fields > Location > From List (placeholder)',
				'node > Options > Request Interval (label)',
				'node > Operation > Create (action)',
				'node > Filters > Only Open Assignments (description)',
				'node > Coworker > By Email (placeholder)',
				'node > Location > By Name (hint)',
				'node > Inventory Asset > By Kind (hint)',
				'node > Filters > Only Free Assets (description)',
				'node > Filters > Active Only (label)',
			]),
		);
		expect(credentialTexts.map((text) => text.kind)).toContain('notice');
	});

	it('the node follows every rule', () => {
		expect(problemsOf(nodeTexts)).toEqual([]);
	});

	it('the trigger follows every rule, and its walk reaches the events and the notice', () => {
		expect(triggerTexts.map((text) => `${text.where} (${text.kind})`)).toEqual(
			expect.arrayContaining([
				'trigger > Events > Member: Created (option)',
				'trigger > Repeat Window (Minutes) (label)',
			]),
		);
		expect(triggerTexts.map((text) => text.kind)).toContain('notice');
		expect(problemsOf(triggerTexts)).toEqual([]);
		expect(
			problemsOf([{ where: 'trigger', kind: 'description', text: triggerDescription.description }]),
		).toEqual([]);
	});

	it('the credential follows every rule', () => {
		expect(problemsOf(credentialTexts)).toEqual([]);
	});

	it('the node description itself is one short sentence', () => {
		expect(
			problemsOf([{ where: 'node', kind: 'description', text: nodeDescription.description }]),
		).toEqual([]);
	});

	it('the check catches each kind of problem', () => {
		const broken: INodeProperties[] = [
			{
				displayName: 'Minimum Interval Between Requests (Ms)',
				name: 'minIntervalMs',
				type: 'number',
				default: 100,
				description:
					'Nexudus allows one request every 100 ms. Lower it only if your account has other limits.',
			},
			{
				displayName: 'inventory asset',
				name: 'inventoryAsset',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				hint: 'x'.repeat(201),
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						placeholder: 'Select a inventory asset...',
					},
					{
						displayName: 'By ID',
						name: 'id',
						type: 'string',
						placeholder: 'Select a coworker inventory asset assignment...',
					},
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				default: 'create',
				options: [
					{ name: 'Create', value: 'create' },
					{ name: 'End', value: 'end', action: 'End a coworker inventory asset assignment' },
				],
			},
		];
		const problems = problemsOf(collectTexts(broken, 'test'));
		expect(problems).toEqual(
			expect.arrayContaining([
				expect.stringContaining('label over 24 characters'),
				expect.stringContaining('unit in n8n casing'),
				expect.stringContaining('more than one sentence'),
				expect.stringContaining('not in Title Case at "inventory"'),
				expect.stringContaining('over 200 characters'),
				expect.stringContaining('wrong article "a inventory"'),
				expect.stringContaining('placeholder over 40 characters'),
				expect.stringContaining('operation option without an action'),
				expect.stringContaining('action over 30 characters'),
			]),
		);
	});

	it('articles: "an" before a vowel sound, "a" before a consonant sound', () => {
		const check = (text: string) => wrongArticle(text);
		expect(check('Select an inventory asset...')).toBeUndefined();
		expect(check('Select a coworker...')).toBeUndefined();
		expect(check('a user, a unique ID, an hour')).toBeUndefined();
		expect(check('Select a inventory asset...')).toBe('a inventory');
		expect(check('Select an coworker...')).toBe('an coworker');
	});

	it('sentences: "e.g.", "2.5" and "..." do not end one', () => {
		expect(sentenceCount('The asset (desk, chair, locker...) to use, e.g. 2.5 of them')).toBe(1);
		expect(sentenceCount('One. Two.')).toBe(2);
	});
});

it("the trigger's Locations hint says when empty is read and what each webhook is", () => {
	const locations = triggerDescription.properties.find((p) => p.name === 'locations')!;
	expect(locations.hint).toMatch(/every location at activation/);
	expect(locations.hint).toMatch(/added later is watched only after re-activating/);
	expect(locations.hint).toMatch(/each event × location is one Nexudus webhook/);
});

describe('trigger canvas subtitle', () => {
	const nodeTypes = {
		getByName: () => new NexudusTrigger() as unknown as INodeType,
		getByNameAndVersion: () => new NexudusTrigger() as unknown as INodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;

	const subtitleFor = (events: string[]) => {
		const node: INode = {
			id: 't',
			name: 'Nexudus Trigger',
			type: 'n8n-nodes-nexudus.nexudusTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { events },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(
			node,
			triggerDescription.subtitle,
			'internal',
			{},
		);
	};

	it.each([
		[['CoworkerCreate'], 'Member: Created'],
		[['CoworkerCreate', 'CoworkerContractCancel'], 'Member: Created, Contract: Cancelled'],
		[['CoworkerCreate', 'CoworkerUpdate', 'BookingCreate'], '3 events'],
		[[], ''],
	])('%j reads "%s"', (events, expected) => {
		expect(subtitleFor(events)).toBe(expected);
	});

	it('every event reads as its label in the Events list', () => {
		const options = triggerDescription.properties.find((p) => p.name === 'events')!
			.options as INodePropertyOptions[];
		for (const { name, value } of options) expect(subtitleFor([String(value)])).toBe(name);
	});
});

describe('canvas subtitle', () => {
	const nodeTypes = {
		getByName: () => new Nexudus() as unknown as INodeType,
		getByNameAndVersion: () => new Nexudus() as unknown as INodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;

	const subtitleFor = (operation: string, resource = 'coworkerInventoryAsset') => {
		const node: INode = {
			id: 'n',
			name: 'Nexudus',
			type: 'n8n-nodes-nexudus.nexudus',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource, operation },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		// What the editor does to draw the subtitle under the node.
		return workflow.expression.getSimpleParameterValue(
			node,
			nodeDescription.subtitle,
			'internal',
			{},
		);
	};

	it.each([
		['create', 'Create: Assignment'],
		['get', 'Get: Assignment'],
		['getAll', 'Get Many: Assignments'],
		['update', 'Update: Assignment'],
		['endAssignment', 'End: Assignment'],
		['delete', 'Delete: Assignment'],
	])('%s reads "%s"', (operation, expected) => {
		expect(subtitleFor(operation)).toBe(expected);
	});

	it.each([
		['coworker', 'get', 'Get: Coworker'],
		['coworker', 'getAll', 'Get Many: Coworkers'],
		['inventoryAsset', 'get', 'Get: Inventory Asset'],
		['inventoryAsset', 'getAll', 'Get Many: Inventory Assets'],
	])('%s %s reads "%s"', (resource, operation, expected) => {
		expect(subtitleFor(operation, resource)).toBe(expected);
	});

	it('every operation of every resource has a subtitle entry', () => {
		const resources = nodeDescription.properties.find((p) => p.name === 'resource')!
			.options as INodePropertyOptions[];
		const nouns: Record<string, string> = {
			coworkerInventoryAsset: 'Assignment',
			coworker: 'Coworker',
			inventoryAsset: 'Inventory Asset',
		};
		expect(resources.map((r) => r.value).sort()).toEqual(Object.keys(nouns).sort());
		for (const { value: resource } of resources) {
			const operations = nodeDescription.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			)!.options as INodePropertyOptions[];
			for (const { value } of operations) {
				expect(subtitleFor(String(value), String(resource))).toMatch(
					new RegExp(`^[A-Z][A-Za-z ]+: ${nouns[String(resource)]}s?$`),
				);
			}
		}
	});
});
