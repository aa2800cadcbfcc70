import { Router } from 'express';
import { CreateProjectBody, ProjectListQuery, UpdateProjectBody } from '@atelier/contracts';
import { jsonBodyOf, principalOf, uuidParam, validate, type AttachmentService, type Db } from '@atelier/platform';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './project-service.js';

export function projectRoutes(db: Db, attachments: AttachmentService): Router {
  const r = Router();

  r.get('/api/projects', async (req, res) => {
    res.json(await listProjects(db, principalOf(res), validate(ProjectListQuery, req.query, 'query')));
  });

  r.post('/api/projects', async (req, res) => {
    const project = await createProject(db, principalOf(res), validate(CreateProjectBody, jsonBodyOf(req)));
    res.status(201).location(`/api/projects/${project.id}`).json(project);
  });

  r.get('/api/projects/:id', async (req, res) => {
    res.json(await getProject(db, principalOf(res), uuidParam(req.params)));
  });

  r.patch('/api/projects/:id', async (req, res) => {
    const who = principalOf(res);
    res.json(await updateProject(db, who, uuidParam(req.params), validate(UpdateProjectBody, jsonBodyOf(req))));
  });

  r.delete('/api/projects/:id', async (req, res) => {
    await deleteProject(db, attachments, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
