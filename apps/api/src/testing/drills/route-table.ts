import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import type { Role } from '@smilepay/shared/contracts';
import { INTERNAL_KEY, PUBLIC_KEY, ROLES_KEY } from '../../app/auth/roles';

export type Access = { kind: 'public' } | { kind: 'internal' } | { kind: 'roles'; roles: Role[] } | { kind: 'closed' };

export interface RouteEntry {
  method: string;
  /** Express-style path, `/v1/payments/:paymentId`. */
  path: string;
  access: Access;
  handler: string;
}

const joinPath = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter((p) => p !== '').join('/')}`;

/**
 * Every HTTP route Nest mapped, with the access rule the auth guard reads from its metadata (Nest's discovery, not a
 * list kept by hand), so a new route joins the authorization matrix the day it is written.
 */
export function discoverRoutes(app: INestApplication): RouteEntry[] {
  // The api does not import DiscoveryModule; its service is a thin reader over the modules container.
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: RouteEntry[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (instance === undefined || wrapper.metatype === undefined || wrapper.metatype === null) continue;
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, wrapper.metatype) ?? ''].flat() as string[];
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = instance[name] as (...args: unknown[]) => unknown;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (methodPath === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const targets = [handler, wrapper.metatype as new (...args: unknown[]) => unknown];
      const roles = reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
      const access: Access = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)
        ? { kind: 'public' }
        : reflector.getAllAndOverride<boolean>(INTERNAL_KEY, targets)
          ? { kind: 'internal' }
          : roles !== undefined
            ? { kind: 'roles', roles }
            : { kind: 'closed' };
      for (const base of controllerPaths) {
        for (const path of [methodPath].flat()) routes.push({ method, path: joinPath(base, path), access, handler: `${wrapper.name}.${name}` });
      }
    }
  }
  return routes;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * What express itself will answer: method and path of every route layer in its router stack. Wildcard layers
 * (`/{*path}`) are Nest middleware bound with forRoutes (request logging, latency timing): they pass every request
 * on and answer none, and no controller of ours declares a wildcard route.
 */
export function routerStack(app: INestApplication): { method: string; path: string }[] {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: ExpressLayer[] }; _router?: { stack: ExpressLayer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  return stack.flatMap((layer) =>
    layer.route === undefined || layer.route.path.includes('{*') ? [] : Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m]).map((m) => ({ method: m.toUpperCase(), path: layer.route?.path as string })),
  );
}
