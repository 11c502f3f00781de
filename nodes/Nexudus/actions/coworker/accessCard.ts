import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { quoteForMessage } from '../../helpers/errors';
import type { PacingSettings } from '../../transport/pacing';
import { coworkerLocator } from '../common.descriptions';
import { locatorParts, readCoworkerId } from '../locators';

import { described, findCoworkersByAccessCard } from './coworker';

/* By Access Card: the member a returned card belongs to (Nexudus's Coworker_AccessCardId). */

/** The Coworker locator with a By Access Card mode. */
export function coworkerLocatorWithCard(description: string): INodeProperties {
	return {
		...coworkerLocator,
		description,
		modes: [
			...(coworkerLocator.modes ?? []),
			{
				displayName: 'By Access Card',
				name: 'accessCard',
				type: 'string',
				placeholder: 'e.g. 04A1B2C3',
				hint: 'The coworker whose Access Card ID is exactly this; none or several fail the item',
			},
		],
	};
}

/** Reads a Coworker parameter that may be given By Access Card. */
export async function readCoworkerIdOrCard(
	ctx: IExecuteFunctions,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const raw = ctx.getNodeParameter('coworker', itemIndex, undefined) as unknown;
	const { mode, value } = locatorParts(raw);
	if (mode !== 'accessCard')
		return await readCoworkerId(ctx, 'coworker', 'Coworker', itemIndex, pacing);
	const card = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (card === '') {
		throw new NodeOperationError(ctx.getNode(), 'Invalid Coworker: the access card is empty', {
			description: 'Nothing was sent. Give the card number as Nexudus stores it.',
			itemIndex,
		});
	}
	const matches = await findCoworkersByAccessCard(ctx, card, itemIndex, pacing);
	if (matches.length === 1) return Number(matches[0].Id);
	throw new NodeOperationError(
		ctx.getNode(),
		matches.length === 0
			? `Coworker: no coworker has the access card ${quoteForMessage(card)}`
			: `Coworker: ${matches.length} coworkers have the access card ${quoteForMessage(card)}: ${matches.map(described).join(', ')}`,
		{
			description:
				matches.length === 0
					? 'Nothing was sent. The card may have been cleared already, or belong to nobody.'
					: 'Nothing was sent: the node does not guess. Give the coworker By ID, or clear the card of the wrong one in Nexudus.',
			itemIndex,
		},
	);
}
