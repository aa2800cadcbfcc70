import { Router } from 'express';
import { CreateTaskBody, ReorderTasksBody, TaskListQuery, UpdateTaskBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate, type AttachmentService, type Db } from '@atelier/platform';
import { createTask, deleteTask, getTask, listTasks, reorderTasks, updateTask } from './task-service.js';

export function taskRoutes(db: Db, attachments: AttachmentService): Router {
  const r = Router();

  r.get('/api/projects/:id/tasks', async (req, res) => {
    res.json(await listTasks(db, principalOf(res), uuidParam(req.params), validate(TaskListQuery, req.query, 'query')));
  });

  r.post('/api/projects/:id/tasks', async (req, res) => {
    const task = await createTask(db, principalOf(res), uuidParam(req.params), validate(CreateTaskBody, jsonBodyOf(req)));
    res.status(201).location(`/api/tasks/${task.id}`).json(task);
  });

  r.post('/api/projects/:id/tasks/reorder', async (req, res) => {
    res.json(await reorderTasks(db, principalOf(res), uuidParam(req.params), validate(ReorderTasksBody, jsonBodyOf(req))));
  });

  r.get('/api/tasks/:id', async (req, res) => {
    res.json(await getTask(db, principalOf(res), uuidParam(req.params)));
  });

  r.patch('/api/tasks/:id', async (req, res) => {
    res.json(await updateTask(db, principalOf(res), uuidParam(req.params), validate(UpdateTaskBody, jsonBodyOf(req))));
  });

  r.delete('/api/tasks/:id', async (req, res) => {
    await deleteTask(db, attachments, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
