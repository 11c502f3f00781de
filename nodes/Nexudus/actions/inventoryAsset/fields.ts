import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidParameterError } from '../../helpers/errors';

/**
 * SKU, Description and Value from a collection (Create's Additional Fields, Update's Update
 * Fields), checked before anything is sent: an empty text clears the field, Value is a number.
 */
export function readAssetFields(
	ctx: IExecuteFunctions,
	collection: string,
	itemIndex: number,
): IDataObject {
	const given = ctx.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	const fields: IDataObject = {};
	for (const [key, field, label] of [
		['sku', 'Sku', 'SKU'],
		['description', 'Description', 'Description'],
	] as const) {
		if (!(key in given)) continue;
		const value = given[key];
		if (
			value !== null &&
			value !== undefined &&
			typeof value !== 'string' &&
			typeof value !== 'number'
		) {
			throw invalidParameterError(
				ctx.getNode(),
				label,
				value,
				`${label} must be a text. Nothing was sent for this item.`,
				itemIndex,
			);
		}
		const text = value === null || value === undefined ? '' : String(value).trim();
		fields[field] = text === '' ? null : text;
	}
	if ('value' in given) {
		const raw = given.value;
		const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw invalidParameterError(
				ctx.getNode(),
				'Value',
				raw,
				'Value must be a number of at least 0, such as 560 or 89.90. Nothing was sent for this item.',
				itemIndex,
			);
		}
		fields.Value = value;
	}
	return fields;
}
