import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * Nexudus's webhook actions (eWebhookAction): the number the API stores and the name it sends.
 * Source: Nexudus-Ltd/nexudus-coworking-skills, skills/nexudus/references/entities/webhooks.md
 * (1 "None" is left out). The only place that maps one to the other.
 */
export const WEBHOOK_ACTIONS = {
	CoworkerUpdate: 2,
	CoworkerCreate: 3,
	BlogPostCreate: 4,
	BlogPostUpdate: 5,
	BookingCreate: 6,
	BookingUpdate: 7,
	BookingDelete: 8,
	SendWelcomeEmail: 9,
	CoworkerContractActivate: 10,
	CoworkerContractCancel: 11,
	CoworkerContractRenew: 12,
	CoworkerContractUpgradeDowngrade: 13,
	CoworkerContractActivateFirst: 14,
	CoworkerInvoiceCreateFirst: 15,
	CoworkerInvoiceCreate: 16,
	CoworkerInvoiceDelete: 17,
	CoworkerInvoiceUpdate: 18,
	CoworkerInvoiceRefund: 19,
	CoworkerInvoiceCreditNote: 20,
	CoworkerInvoicePaid: 21,
	CoworkerInvoiceFailedPayment: 22,
	CoworkerInvoiceReceivedPayment: 23,
	CoworkerInvoiceAwaitingPayment: 24,
	CalendarEventCreate: 25,
	CalendarEventUpdate: 26,
	CalendarEventAttendeeDelete: 27,
	CalendarEventAttendeeCreate: 28,
	CalendarEventAttendeeUpdate: 29,
	GlobalChatMessageCreate: 30,
	NewsLetterSubscriberCreate: 31,
	NewsLetterSubscriberSubscribed: 32,
	NewsLetterSubscriberUnSubscribed: 33,
	NewsLetterSubscriberRemovedFromGroup: 34,
	CoworkerCheckout: 35,
	CoworkerCheckin: 36,
	CoworkerCheckinFailed: 37,
	VisitorNotification: 38,
	CommunityBoardNewThread: 39,
	CommunityBoardNewReply: 40,
	VisitorCheckedin: 41,
	VisitorRegistered: 42,
	BlogPostDelete: 43,
	CalendarEventDelete: 44,
	HelDeskMessageCreated: 45,
	HelpDeskCommentCreated: 46,
	CheckinCreated: 47,
	CheckinUpdated: 48,
	CheckinDeleted: 49,
	CoworkerDelete: 50,
	CoworkerMessageCreate: 51,
	DeliveryCreated: 52,
	DeliveryAssigned: 53,
	ProposalCreated: 54,
	ProposalUpdated: 55,
	ProposalDeleted: 56,
	TeamCreated: 57,
	TeamUpdated: 58,
	TeamDeleted: 59,
	CoworkerContractUpdate: 60,
	AccessControlUpdate: 61,
	CoworkerContractCreate: 62,
	FailedCheckin: 63,
	VisitorDeleted: 64,
	CoworkerInvoiceLedgerEntryCreate: 65,
	CoworkerInvoiceLedgerEntryDelete: 66,
	CoworkerInvoiceLedgerEntryUpdate: 67,
	CoworkerProductCreate: 68,
	CoworkerProductUpdate: 69,
	CoworkerProductDelete: 70,
	FloorPlanDeskCreate: 71,
	FloorPlanDeskDelete: 72,
	FloorPlanDeskUpdate: 73,
	TariffCreate: 74,
	TariffDelete: 75,
	TariffUpdate: 76,
	CoworkerContractDelete: 77,
	FloorPlanCreate: 78,
	FloorPlanDelete: 79,
	FloorPlanUpdate: 80,
	ProductCreate: 81,
	ProductDelete: 82,
	ProductUpdate: 83,
	BusinessUpdate: 84,
	CommunityGroupCreate: 85,
	CommunityGroupDelete: 86,
	CommunityGroupUpdate: 87,
	CoworkerPaymentMethodCreate: 88,
	CoworkerPaymentMethodDelete: 89,
	CoworkerPaymentMethodUpdate: 90,
} as const;

export type WebhookActionName = keyof typeof WEBHOOK_ACTIONS;

const NAME_OF = new Map<number, WebhookActionName>(
	Object.entries(WEBHOOK_ACTIONS).map(([name, number]) => [number, name as WebhookActionName]),
);

export function isWebhookActionName(value: unknown): value is WebhookActionName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(WEBHOOK_ACTIONS, value);
}

/** The action's name, from the number or the name Nexudus answers with; undefined if unknown. */
export function webhookActionName(value: unknown): WebhookActionName | undefined {
	if (isWebhookActionName(value)) return value;
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+$/.test(value)
				? Number(value)
				: NaN;
	return NAME_OF.get(number);
}

export function webhookActionNumber(name: WebhookActionName): number {
	return WEBHOOK_ACTIONS[name];
}

/** [group, label in the panel, Nexudus action], in the order the panel lists them. */
const EVENTS: Array<[string, string, WebhookActionName]> = [
	['Member', 'Created', 'CoworkerCreate'],
	['Member', 'Updated', 'CoworkerUpdate'],
	['Member', 'Deleted', 'CoworkerDelete'],
	['Member', 'Welcome Email Sent', 'SendWelcomeEmail'],
	['Member', 'Message Created', 'CoworkerMessageCreate'],
	['Member', 'Payment Method Created', 'CoworkerPaymentMethodCreate'],
	['Member', 'Payment Method Updated', 'CoworkerPaymentMethodUpdate'],
	['Member', 'Payment Method Deleted', 'CoworkerPaymentMethodDelete'],
	['Contract', 'Created', 'CoworkerContractCreate'],
	['Contract', 'First Activated', 'CoworkerContractActivateFirst'],
	['Contract', 'Activated', 'CoworkerContractActivate'],
	['Contract', 'Updated', 'CoworkerContractUpdate'],
	['Contract', 'Renewed', 'CoworkerContractRenew'],
	['Contract', 'Upgraded or Downgraded', 'CoworkerContractUpgradeDowngrade'],
	['Contract', 'Cancelled', 'CoworkerContractCancel'],
	['Contract', 'Deleted', 'CoworkerContractDelete'],
	['Team', 'Created', 'TeamCreated'],
	['Team', 'Updated', 'TeamUpdated'],
	['Team', 'Deleted', 'TeamDeleted'],
	['Booking', 'Created', 'BookingCreate'],
	['Booking', 'Updated', 'BookingUpdate'],
	['Booking', 'Deleted', 'BookingDelete'],
	['Check-In', 'Member Checked In', 'CoworkerCheckin'],
	['Check-In', 'Member Checked Out', 'CoworkerCheckout'],
	['Check-In', 'Member Check-In Failed', 'CoworkerCheckinFailed'],
	['Check-In', 'Created', 'CheckinCreated'],
	['Check-In', 'Updated', 'CheckinUpdated'],
	['Check-In', 'Deleted', 'CheckinDeleted'],
	['Check-In', 'Failed', 'FailedCheckin'],
	['Check-In', 'Access Control Updated', 'AccessControlUpdate'],
	['Visitor', 'Registered', 'VisitorRegistered'],
	['Visitor', 'Checked In', 'VisitorCheckedin'],
	['Visitor', 'Notification', 'VisitorNotification'],
	['Visitor', 'Deleted', 'VisitorDeleted'],
	['Delivery', 'Created', 'DeliveryCreated'],
	['Delivery', 'Assigned', 'DeliveryAssigned'],
	['Invoice', 'First Created', 'CoworkerInvoiceCreateFirst'],
	['Invoice', 'Created', 'CoworkerInvoiceCreate'],
	['Invoice', 'Updated', 'CoworkerInvoiceUpdate'],
	['Invoice', 'Deleted', 'CoworkerInvoiceDelete'],
	['Invoice', 'Paid', 'CoworkerInvoicePaid'],
	['Invoice', 'Payment Failed', 'CoworkerInvoiceFailedPayment'],
	['Invoice', 'Payment Received', 'CoworkerInvoiceReceivedPayment'],
	['Invoice', 'Awaiting Payment', 'CoworkerInvoiceAwaitingPayment'],
	['Invoice', 'Refunded', 'CoworkerInvoiceRefund'],
	['Invoice', 'Credit Note', 'CoworkerInvoiceCreditNote'],
	['Invoice', 'Ledger Entry Created', 'CoworkerInvoiceLedgerEntryCreate'],
	['Invoice', 'Ledger Entry Updated', 'CoworkerInvoiceLedgerEntryUpdate'],
	['Invoice', 'Ledger Entry Deleted', 'CoworkerInvoiceLedgerEntryDelete'],
	['Member Product', 'Created', 'CoworkerProductCreate'],
	['Member Product', 'Updated', 'CoworkerProductUpdate'],
	['Member Product', 'Deleted', 'CoworkerProductDelete'],
	['Plan', 'Created', 'TariffCreate'],
	['Plan', 'Updated', 'TariffUpdate'],
	['Plan', 'Deleted', 'TariffDelete'],
	['Product', 'Created', 'ProductCreate'],
	['Product', 'Updated', 'ProductUpdate'],
	['Product', 'Deleted', 'ProductDelete'],
	['Proposal', 'Created', 'ProposalCreated'],
	['Proposal', 'Updated', 'ProposalUpdated'],
	['Proposal', 'Deleted', 'ProposalDeleted'],
	['Event', 'Created', 'CalendarEventCreate'],
	['Event', 'Updated', 'CalendarEventUpdate'],
	['Event', 'Deleted', 'CalendarEventDelete'],
	['Event', 'Attendee Added', 'CalendarEventAttendeeCreate'],
	['Event', 'Attendee Updated', 'CalendarEventAttendeeUpdate'],
	['Event', 'Attendee Removed', 'CalendarEventAttendeeDelete'],
	['Floor Plan', 'Created', 'FloorPlanCreate'],
	['Floor Plan', 'Updated', 'FloorPlanUpdate'],
	['Floor Plan', 'Deleted', 'FloorPlanDelete'],
	['Floor Plan', 'Desk Created', 'FloorPlanDeskCreate'],
	['Floor Plan', 'Desk Updated', 'FloorPlanDeskUpdate'],
	['Floor Plan', 'Desk Deleted', 'FloorPlanDeskDelete'],
	['Community', 'Thread Created', 'CommunityBoardNewThread'],
	['Community', 'Reply Created', 'CommunityBoardNewReply'],
	['Community', 'Group Created', 'CommunityGroupCreate'],
	['Community', 'Group Updated', 'CommunityGroupUpdate'],
	['Community', 'Group Deleted', 'CommunityGroupDelete'],
	['Community', 'Chat Message Created', 'GlobalChatMessageCreate'],
	['Help Desk', 'Message Created', 'HelDeskMessageCreated'],
	['Help Desk', 'Comment Created', 'HelpDeskCommentCreated'],
	['Newsletter', 'Subscriber Created', 'NewsLetterSubscriberCreate'],
	['Newsletter', 'Subscribed', 'NewsLetterSubscriberSubscribed'],
	['Newsletter', 'Unsubscribed', 'NewsLetterSubscriberUnSubscribed'],
	['Newsletter', 'Removed From Group', 'NewsLetterSubscriberRemovedFromGroup'],
	['Blog', 'Post Created', 'BlogPostCreate'],
	['Blog', 'Post Updated', 'BlogPostUpdate'],
	['Blog', 'Post Deleted', 'BlogPostDelete'],
	['Location', 'Updated', 'BusinessUpdate'],
];

/** The Events options: "Member: Created", grouped as Nexudus groups them, members and contracts first. */
export const EVENT_OPTIONS: INodePropertyOptions[] = EVENTS.map(([group, label, action]) => ({
	name: `${group}: ${label}`,
	value: action,
	description: `Nexudus webhook action ${action} (${WEBHOOK_ACTIONS[action]})`,
}));

/** "Member: Created" for CoworkerCreate, for messages. */
export function eventLabel(action: WebhookActionName): string {
	const found = EVENTS.find(([, , name]) => name === action);
	return found ? `${found[0]}: ${found[1]}` : action;
}
