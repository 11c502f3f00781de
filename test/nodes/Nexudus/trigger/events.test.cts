import {
	EVENT_OPTIONS,
	WEBHOOK_ACTIONS,
	eventLabel,
	webhookActionName,
	webhookActionNumber,
} from '../../../../nodes/Nexudus/trigger/events';
import { actionName, actionNumber } from '../../../emulator/webhooks.cjs';

describe('eWebhookAction table', () => {
	test('numbers 2..90, each once, and the emulator (its own copy of the documented table) agrees on every one', () => {
		const numbers = Object.values(WEBHOOK_ACTIONS).sort((a, b) => a - b);
		expect(numbers).toEqual(Array.from({ length: 89 }, (_v, i) => i + 2));
		for (const [name, number] of Object.entries(WEBHOOK_ACTIONS)) {
			expect([name, actionNumber(name)]).toEqual([name, number]);
			expect(actionName(number)).toBe(name);
		}
	});

	test('the documented anchors', () => {
		expect(webhookActionNumber('CoworkerCreate')).toBe(3);
		expect(webhookActionNumber('CoworkerContractCancel')).toBe(11);
		expect(webhookActionNumber('CoworkerContractCreate')).toBe(62);
		expect(webhookActionNumber('CoworkerContractDelete')).toBe(77);
		expect(webhookActionNumber('CoworkerPaymentMethodUpdate')).toBe(90);
	});

	test('Nexudus may answer the number, a numeric string or the name', () => {
		expect(webhookActionName(11)).toBe('CoworkerContractCancel');
		expect(webhookActionName('11')).toBe('CoworkerContractCancel');
		expect(webhookActionName('CoworkerContractCancel')).toBe('CoworkerContractCancel');
		expect(webhookActionName(1)).toBeUndefined();
		expect(webhookActionName('Nope')).toBeUndefined();
	});
});

describe('Events options', () => {
	test('every action once; members first, then contracts, each group together', () => {
		const values = EVENT_OPTIONS.map((option) => option.value);
		expect(new Set(values).size).toBe(values.length);
		expect([...values].sort()).toEqual(Object.keys(WEBHOOK_ACTIONS).sort());
		const groups = EVENT_OPTIONS.map((option) => option.name.split(':')[0]);
		expect(groups.slice(0, 2)).toEqual(['Member', 'Member']);
		expect([...new Set(groups)].slice(0, 5)).toEqual([
			'Member',
			'Contract',
			'Team',
			'Booking',
			'Check-In',
		]);
		// A group never comes back after another one started.
		const order = groups.filter((group, i) => i === 0 || groups[i - 1] !== group);
		expect(new Set(order).size).toBe(order.length);
		expect(eventLabel('CoworkerContractCancel')).toBe('Contract: Cancelled');
	});
});
