import type { LocalScheduler } from '../scheduler/scheduler';
import type { RestRoute } from './server';

/** EventBridge Scheduler's REST-JSON API: create, get, delete and list schedules. */
export function schedulerRoutes(scheduler: LocalScheduler): RestRoute[] {
  const name = /^\/schedules\/(?<name>[^/]+)$/;
  return [
    { method: 'POST', path: name, handle: (p, _q, body) => scheduler.createSchedule(p.name!, body) },
    { method: 'GET', path: name, handle: (p, q) => scheduler.getSchedule(p.name!, q.get('groupName') ?? undefined) },
    { method: 'DELETE', path: name, handle: (p, q) => scheduler.deleteSchedule(p.name!, q.get('groupName') ?? undefined) },
    { method: 'GET', path: /^\/schedules$/, handle: (_p, q) => scheduler.listSchedules(q.get('ScheduleGroup') ?? undefined) },
  ];
}
