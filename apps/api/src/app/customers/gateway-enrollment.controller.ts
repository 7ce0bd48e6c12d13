import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { EnrollmentService } from '@smilepay/enrollment/application';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsObject, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Internal } from '../auth/roles';
import { decodeEmbedding } from './embedding';
import { EmbeddingDto } from './gateway.dto';

export class EnrollmentCaptureDto {
  /** Client-chosen id of the vault row, stable across retries of one capture. */
  @IsUUID()
  templateRef!: string;

  @ValidateNested()
  @Type(() => EmbeddingDto)
  embedding!: EmbeddingDto;

  @IsNumber()
  @Min(0)
  @Max(1)
  quality!: number;

  /** e.g. `fr_feature@sha256:…`: the model id with its digest, so templates from different weights never mix. */
  @IsString()
  @MaxLength(256)
  modelVersion!: string;

  @IsIn(['live', 'spoof', 'inconclusive'])
  livenessVerdict!: 'live' | 'spoof' | 'inconclusive';

  @IsObject()
  livenessScores!: Record<string, number>;

  @IsString()
  @MaxLength(64)
  terminalId!: string;
}

/** Face capture at enrollment, sent by the gateway after the same quality and liveness gates as checkout. */
@Controller('internal/v1/enrollments/:customerId')
@Internal()
export class GatewayEnrollmentController {
  constructor(private readonly enrollment: EnrollmentService) {}

  @Post('face')
  @HttpCode(200)
  async captureFace(@Param('customerId', ParseUUIDPipe) customerId: string, @Body() body: EnrollmentCaptureDto) {
    const result = await this.enrollment.enrollFace(
      {
        customerId,
        templateRef: body.templateRef,
        embedding: decodeEmbedding(body.embedding),
        quality: body.quality,
        modelVersion: body.modelVersion,
        liveness: body.livenessVerdict === 'live' ? 'live' : 'spoof',
        at: new Date(),
      },
      { correlationId: body.templateRef, causationId: randomUUID(), actor: `terminal:${body.terminalId}` },
    );
    // Only the outcome goes back: never the vector, never another customer's identity behind a duplicate.
    return { outcome: result.outcome, duplicateCheck: result.duplicateCheck?.outcome ?? null, pinRequired: result.pinRequired };
  }
}
