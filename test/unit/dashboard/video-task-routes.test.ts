import { afterEach, describe, expect, it } from 'vitest';
import type { VideoJob, VideoJobListQuery } from '../../../src/jobs/video-jobs.js';
import type { VideoTask } from '../../../src/jobs/video-task-view.js';
import { DashboardClient, startDashboardTestApp, type DashboardTestApp } from '../../support/dashboard-test-app.js';

const PASSWORD = 'correct horse battery';

describe('dashboard video task list', () => {
  let ctx: DashboardTestApp;
  afterEach(async () => {
    await ctx.close();
  });

  it('lists only the logged-in user\'s tasks, with video links on the public origin', async () => {
    const queries: VideoJobListQuery[] = [];
    const media = {
      videos: {
        list: async (query: VideoJobListQuery) => {
          queries.push(query);
          return { jobs: [{ id: 'job_1' } as VideoJob], nextCursor: 'next' };
        },
      },
      taskOf: (job: VideoJob, baseUrl: string | undefined) => ({ id: job.id, status: 'succeeded', data: [{ video_url: `${baseUrl}/api/v1/videos/files/${job.id}.mp4` }] }) as unknown as VideoTask,
    } as unknown as NonNullable<Parameters<typeof startDashboardTestApp>[0]>['media'];
    ctx = await startDashboardTestApp({ media, publicUrl: 'https://ai.example.com' });
    const user = await ctx.users.create({ email: 'v@example.com', password: PASSWORD });
    const client = new DashboardClient(ctx.app);
    await client.login('v@example.com', PASSWORD);
    const list = (await client.request({ method: 'GET', url: '/api/dashboard/videos?status=succeeded' })).json();
    expect(queries).toEqual([{ userId: user.id, status: 'succeeded', limit: 20, cursor: undefined }]);
    expect(list).toMatchObject({ has_more: true, next_cursor: 'next', data: [{ id: 'job_1', data: [{ video_url: 'https://ai.example.com/api/v1/videos/files/job_1.mp4' }] }] });
    expect((await new DashboardClient(ctx.app).request({ method: 'GET', url: '/api/dashboard/videos' })).statusCode).toBe(401);
  });
});
