import { Body, Controller, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import type { LoginResponse } from '@smilepay/shared/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Public } from './roles';
import { TokenService } from './token.service';
import { UserDirectory } from './user-directory';

export class LoginDto {
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;
}

@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly users: UserDirectory,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto): LoginResponse {
    const role = this.users.authenticate(body.username, body.password);
    if (!role) throw new UnauthorizedException({ code: 'bad_credentials', message: 'unknown user or wrong password', details: {} });
    const { token, expiresAt } = this.tokens.issue(body.username, role, Date.now());
    return { token, role, username: body.username, expiresAt };
  }
}
