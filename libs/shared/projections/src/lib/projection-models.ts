import { CreateProjectionCheckpoints1764100000000 } from './checkpoint/create-projection-checkpoints.migration';
import { ProjectionCheckpointEntity } from './checkpoint/projection-checkpoint.entity';

/** Add these to every read-model DataSource that runs projections. */
export const projectionEntities = [ProjectionCheckpointEntity];
export const projectionMigrations = [CreateProjectionCheckpoints1764100000000];
