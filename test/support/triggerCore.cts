/**
 * Runs the Nexudus Trigger in-process on n8n-core's real HookContext (activation: checkExists,
 * create, delete) and WebhookContext (a delivery), with real static data and real requests to
 * the emulator through the same credentials helper as the action node's tests.
 */
import { HookContext, LoadOptionsContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { NexudusTrigger } from '../../nodes/Nexudus/NexudusTrigger.node';
import { credentialsHelper, type CredentialStore } from './n8nCore.cjs';

export const TRIGGER_TYPE = 'n8n-nodes-nexudus.nexudusTrigger';
export const WEBHOOK_BASE = 'http://n8n.test/webhook';
export const WEBHOOK_ID = 'b1f0c2de-0000-4000-8000-000000000001';

const trigger = new NexudusTrigger();

function nodeTypes(): INodeTypes {
	return {
		getByName: () => trigger as unknown as INodeType,
		getByNameAndVersion: () => trigger as unknown as INodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

/** One trigger node in one workflow; its static data lives as long as this object (a saved workflow). */
export class TriggerHarness {
	readonly node: INode;
	readonly staticData: IDataObject = {};
	parameters: INodeParameters;

	constructor(
		/** The credential; replace it to change the credential of a saved workflow. */
		public store: CredentialStore,
		parameters: INodeParameters,
	) {
		this.parameters = parameters;
		this.node = this.makeNode();
	}

	private makeNode(): INode {
		return {
			id: 'trigger-node',
			name: 'Nexudus Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: this.parameters,
			credentials: { nexudusOAuth2Api: { id: '1', name: 'Nexudus account' } },
		};
	}

	/** A fresh Workflow over the saved static data, as n8n builds one per activation or request. */
	private workflow(): Workflow {
		const node = { ...this.makeNode() };
		const workflow = new Workflow({
			id: 'wf-trigger',
			name: 'Onboarding',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: nodeTypes(),
			staticData: this.staticData,
		});
		return workflow;
	}

	private additionalData(extra: IDataObject = {}): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: credentialsHelper(this.store),
			webhookBaseUrl: WEBHOOK_BASE,
			webhookTestBaseUrl: 'http://n8n.test/webhook-test',
			currentNodeParameters: this.parameters,
			variables: {},
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** The production URL n8n gives this node's default webhook. */
	get url(): string {
		return `${WEBHOOK_BASE}/${WEBHOOK_ID}/webhook`;
	}

	hookContext(): IHookFunctions {
		const workflow = this.workflow();
		return new HookContext(
			workflow,
			workflow.getNode(this.node.name) as INode,
			this.additionalData(),
			'trigger',
			'activate',
		);
	}

	async checkExists(): Promise<boolean> {
		return await trigger.webhookMethods.default.checkExists.call(this.hookContext());
	}

	async create(): Promise<boolean> {
		return await trigger.webhookMethods.default.create.call(this.hookContext());
	}

	async delete(): Promise<boolean> {
		return await trigger.webhookMethods.default.delete.call(this.hookContext());
	}

	/** What n8n does on activation: create unless checkExists says all is there. */
	async activate(): Promise<void> {
		if (!(await this.checkExists())) await this.create();
	}

	remembered(): Array<{ Id: number; BusinessId: number; Action: string }> {
		const data = this.staticData['node:Nexudus Trigger'] as IDataObject | undefined;
		return (data?.webhooks as Array<{ Id: number; BusinessId: number; Action: string }>) ?? [];
	}

	loadOptionsContext(): ILoadOptionsFunctions {
		const workflow = this.workflow();
		return new LoadOptionsContext(
			workflow,
			workflow.getNode(this.node.name) as INode,
			this.additionalData(),
			'parameters.locations',
		);
	}

	/** One delivery to the webhook, as n8n's server hands it to the node. */
	async deliver(request: {
		body: string;
		headers?: Record<string, string>;
		query?: Record<string, string>;
		/** 'manual' is a test delivery (Execute step, /webhook-test/...). */
		mode?: 'webhook' | 'manual';
		/** What n8n parsed, when not the JSON of body (e.g. another Content-Type). */
		parsed?: unknown;
	}): Promise<{
		result: IWebhookResponseData;
		response: { status?: number; body?: unknown };
		/** What the node logged through n8n's logger at warn level, message and meta as text. */
		warnings: string[];
	}> {
		const workflow = this.workflow();
		const raw = Buffer.from(request.body, 'utf8');
		const httpRequest = {
			body: 'parsed' in request ? request.parsed : (JSON.parse(request.body) as unknown),
			rawBody: raw,
			headers: Object.fromEntries(
				Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
			),
			query: request.query ?? {},
			params: {},
		};
		const response: { status?: number; body?: unknown } = {};
		const httpResponse = {
			status(code: number) {
				response.status = code;
				return this;
			},
			json(body: unknown) {
				response.body = body;
				return this;
			},
			send(body: unknown) {
				response.body = body;
				return this;
			},
			end() {
				return this;
			},
		};
		const webhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription: trigger.description.webhooks?.[0],
			workflowId: workflow.id,
			workflowExecuteAdditionalData: this.additionalData({ httpRequest, httpResponse }),
		} as unknown as IWebhookData;
		const context = new WebhookContext(
			workflow,
			workflow.getNode(this.node.name) as INode,
			this.additionalData({ httpRequest, httpResponse }),
			request.mode ?? 'webhook',
			{ ...webhookData, isTest: request.mode === 'manual' } as IWebhookData,
			[],
			null,
		);
		const logger = context.logger;
		const warn = logger.warn;
		const warnings: string[] = [];
		logger.warn = (message: string, meta?: object) => {
			warnings.push(`${message} ${JSON.stringify(meta ?? {})}`);
		};
		try {
			const result = await trigger.webhook.call(context);
			return { result, response, warnings };
		} finally {
			logger.warn = warn;
		}
	}
}
