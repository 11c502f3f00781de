import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { toNexudusId } from '../helpers/parameters';
import type { PacingSettings } from '../transport/pacing';

import { coworkerIdByEmail } from './coworker/coworker';
import { locationIdByName } from './location/location';

/*
 * A Coworker or Location parameter as a Nexudus Id, whichever mode it was given in: From List
 * and By ID hold the Id, By Email and By Name are looked up (once per distinct value and run).
 */

/** A locator's mode and value; a plain value (older workflows, filters) counts as an Id. */
export function locatorParts(raw: unknown): { mode: string; value: unknown; isLocator: boolean } {
	if (typeof raw === 'object' && raw !== null && 'value' in raw) {
		const locator = raw as INodeParameterResourceLocator;
		return { mode: String(locator.mode ?? 'id'), value: locator.value, isLocator: true };
	}
	return { mode: 'id', value: raw, isLocator: false };
}

/** The Id a Coworker value names: By Email is resolved, other modes hold the Id. */
export async function coworkerIdOf(
	ctx: IExecuteFunctions,
	raw: unknown,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const { mode, value, isLocator } = locatorParts(raw);
	if (mode === 'email') return await coworkerIdByEmail(ctx, value, field, itemIndex, pacing);
	return toNexudusId(ctx, value, field, itemIndex, { fromList: isLocator });
}

/** The Id a Location value names: By Name is resolved, other modes hold the Id. */
export async function locationIdOf(
	ctx: IExecuteFunctions,
	raw: unknown,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	const { mode, value, isLocator } = locatorParts(raw);
	if (mode === 'name') return await locationIdByName(ctx, value, field, itemIndex, pacing);
	return toNexudusId(ctx, value, field, itemIndex, { fromList: isLocator });
}

/** Reads a Coworker parameter (`path` as for getNodeParameter: 'coworker', 'updateFields.coworker'). */
export async function readCoworkerId(
	ctx: IExecuteFunctions,
	path: string,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	return await coworkerIdOf(
		ctx,
		ctx.getNodeParameter(path, itemIndex, undefined),
		field,
		itemIndex,
		pacing,
	);
}

/** Reads a Location parameter. */
export async function readLocationId(
	ctx: IExecuteFunctions,
	path: string,
	field: string,
	itemIndex: number,
	pacing: PacingSettings,
): Promise<number> {
	return await locationIdOf(
		ctx,
		ctx.getNodeParameter(path, itemIndex, undefined),
		field,
		itemIndex,
		pacing,
	);
}
