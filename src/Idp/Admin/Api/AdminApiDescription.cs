namespace Idp.Admin.Api;

/// <summary>
/// The OpenAPI 3.0 description of /api/admin, kept next to the endpoints it describes. The device types a key can be
/// given for come from the registered kinds of second factor (<c>{{KEY_TYPES}}</c>).
/// </summary>
internal static class AdminApiDescription
{
    public static string Json(IReadOnlyList<string> keyTypes)
        => Template.Replace("{{KEY_TYPES}}", string.Join(", ", keyTypes.Select(t => System.Text.Json.JsonSerializer.Serialize(t))), StringComparison.Ordinal)
            .Replace("{{DEFAULT_KEY_TYPE}}", System.Text.Json.JsonSerializer.Serialize(keyTypes.FirstOrDefault() ?? string.Empty), StringComparison.Ordinal);

    private const string Template = """
    {
      "openapi": "3.0.3",
      "info": {
        "title": "Idp administration API",
        "version": "1",
        "description": "Second-factor devices and locks of Idp users, and the hardware token pool. Authenticate with a client-credentials access token from this IdP whose scope includes Idp:Admin:ApiScope (default idp:admin). Every change is written to the audit trail with the client as actor."
      },
      "servers": [ { "url": "/api/admin" } ],
      "components": {
        "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
        "schemas": {
          "Device": {
            "type": "object",
            "properties": {
              "id": { "type": "string" },
              "name": { "type": "string" },
              "type": { "type": "string", "description": "The device's type as LemonLDAP::NG names it, or its kind's label." },
              "registered": { "type": "string", "format": "date-time" },
              "lastUsed": { "type": "string", "format": "date-time", "nullable": true },
              "expires": { "type": "string", "format": "date-time", "nullable": true }
            }
          },
          "NewDevice": {
            "type": "object",
            "required": [ "name", "secret" ],
            "properties": {
              "type": { "type": "string", "enum": [ {{KEY_TYPES}} ], "default": {{DEFAULT_KEY_TYPE}} },
              "name": { "type": "string", "description": "Unique among the user's devices; Otp:DeviceNameMaxLength characters at most." },
              "secret": { "type": "string", "description": "The device's key in the form its type takes (one-time-code keys: Base32, RFC 4648, at least 128 bits)." },
              "reason": { "type": "string", "description": "Kept in the audit trail." }
            }
          },
          "Message": { "type": "object", "properties": { "message": { "type": "string" } } },
          "Token": {
            "type": "object",
            "description": "A hardware token of the pool; never its secret.",
            "properties": {
              "serial": { "type": "string" }, "type": { "type": "string", "enum": [ "HOTP", "TOTP" ] }, "algorithm": { "type": "string" },
              "digits": { "type": "integer" }, "period": { "type": "integer" }, "manufacturer": { "type": "string", "nullable": true },
              "disabled": { "type": "boolean" }, "assigned": { "type": "boolean" }, "state": { "type": "string" },
              "userId": { "type": "string", "nullable": true }, "userName": { "type": "string", "nullable": true },
              "importedAt": { "type": "string", "format": "date-time" }
            }
          },
          "TokenPage": { "type": "object", "properties": { "tokens": { "type": "array", "items": { "$ref": "#/components/schemas/Token" } }, "total": { "type": "integer" } } },
          "TokenImport": {
            "type": "object",
            "required": [ "content" ],
            "properties": {
              "content": { "type": "string", "format": "byte", "description": "The PSKC (RFC 6030) or OATH CSV file, Base64; at most 10 MB." },
              "format": { "type": "string", "enum": [ "pskc", "oath-csv" ], "description": "Recognised from the content when left out." },
              "preSharedKey": { "type": "string", "description": "Hex: the PSKC pre-shared key (RFC 6030 6.1)." },
              "password": { "type": "string", "description": "The PSKC password (RFC 6030 6.2, PBKDF2)." },
              "skipExisting": { "type": "boolean", "default": false }, "ignoreMacMismatch": { "type": "boolean", "default": false }
            }
          },
          "TokenAction": {
            "type": "object",
            "properties": {
              "user": { "type": "string", "description": "assign: the username or e-mail address." },
              "code1": { "type": "string", "description": "resync: a code the token shows." }, "code2": { "type": "string", "description": "resync: the next one." },
              "reason": { "type": "string", "description": "Kept in the audit trail." }
            }
          },
          "TokenExport": {
            "type": "object",
            "properties": {
              "serial": { "type": "string" }, "user": { "type": "string" }
            }
          },
          "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details.",
            "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" } }
          }
        },
        "parameters": {
          "username": { "name": "username", "in": "path", "required": true, "schema": { "type": "string" } },
          "reason": { "name": "reason", "in": "query", "required": true, "schema": { "type": "string", "maxLength": 500 }, "description": "Why; kept in the audit trail." },
          "optionalReason": { "name": "reason", "in": "query", "required": false, "schema": { "type": "string", "maxLength": 500 } }
        },
        "responses": {
          "Unauthorized": { "description": "No or invalid access token (WWW-Authenticate: Bearer error=\"invalid_token\").", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "Forbidden": { "description": "The token is not a client-credentials token with the admin scope (error=\"insufficient_scope\").", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "NotFound": { "description": "Unknown user or device.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "BadRequest": { "description": "Malformed body, bad key or name, missing reason; nothing changed.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
          "Conflict": { "description": "Refused by the current state (too many devices, a concurrent change); nothing changed.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
      },
      "security": [ { "bearer": [] } ],
      "paths": {
        "/users/{username}/devices": {
          "parameters": [ { "$ref": "#/components/parameters/username" } ],
          "get": {
            "summary": "List the user's devices (never their keys).",
            "responses": {
              "200": { "description": "The devices.", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Device" } } } } },
              "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" }
            }
          },
          "post": {
            "summary": "Register a device from its key (like LemonLDAP::NG's POST /api/v1/secondFactor/{uid}/type/{type}).",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewDevice" } } } },
            "responses": {
              "201": { "description": "Registered.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Device" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" },
              "404": { "$ref": "#/components/responses/NotFound" }, "409": { "$ref": "#/components/responses/Conflict" }
            }
          },
          "delete": {
            "summary": "Remove every device of the user (ends their sessions when Idp:Admin:EndSessionsOnDeviceRemoval).",
            "parameters": [ { "$ref": "#/components/parameters/reason" } ],
            "responses": {
              "200": { "description": "Removed.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" }
            }
          }
        },
        "/users/{username}/devices/{device}": {
          "parameters": [ { "$ref": "#/components/parameters/username" }, { "name": "device", "in": "path", "required": true, "schema": { "type": "string" }, "description": "The device's id or name." } ],
          "delete": {
            "summary": "Remove one device (ends the user's sessions when Idp:Admin:EndSessionsOnDeviceRemoval).",
            "parameters": [ { "$ref": "#/components/parameters/reason" } ],
            "responses": {
              "200": { "description": "Removed.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } },
              "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" }
            }
          }
        },
        "/tokens": {
          "get": {
            "summary": "List and search the hardware token pool.",
            "parameters": [
              { "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 64 }, "description": "Part of a serial or of a holder's username." },
              { "name": "state", "in": "query", "schema": { "type": "string", "enum": [ "all", "unassigned", "assigned", "disabled" ] } },
              { "name": "skip", "in": "query", "schema": { "type": "integer", "default": 0 } },
              { "name": "take", "in": "query", "schema": { "type": "integer", "default": 50, "maximum": 200 } }
            ],
            "responses": { "200": { "description": "A page of tokens.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenPage" } } } }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" } }
          }
        },
        "/tokens/import": {
          "post": {
            "summary": "Import a token file into the pool: every token or none.",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenImport" } } } },
            "responses": { "200": { "description": "Imported: {imported, assigned, skipped}." }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "409": { "$ref": "#/components/responses/Conflict" } }
          }
        },
        "/tokens/export": {
          "post": {
            "summary": "Export tokens as PSKC, without their secrets (those leave only through the command line on the server).",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenExport" } } } },
            "responses": { "200": { "description": "The PSKC file.", "content": { "application/pskc+xml": {} } }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" } }
          }
        },
        "/tokens/{serial}": {
          "parameters": [ { "name": "serial", "in": "path", "required": true, "schema": { "type": "string" } } ],
          "get": {
            "summary": "One token.",
            "responses": { "200": { "description": "The token.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Token" } } } }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" } }
          },
          "delete": {
            "summary": "Delete the token (and take it from its holder).",
            "parameters": [ { "$ref": "#/components/parameters/reason" } ],
            "responses": { "200": { "description": "Deleted.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" } }
          }
        },
        "/tokens/{serial}/{action}": {
          "parameters": [
            { "name": "serial", "in": "path", "required": true, "schema": { "type": "string" } },
            { "name": "action", "in": "path", "required": true, "schema": { "type": "string", "enum": [ "assign", "unassign", "enable", "disable", "resync", "reset-failures" ] } }
          ],
          "post": {
            "summary": "Act on one token; audited with the client as actor.",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/TokenAction" } } } },
            "responses": { "200": { "description": "Done.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } }, "400": { "$ref": "#/components/responses/BadRequest" }, "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" }, "409": { "$ref": "#/components/responses/Conflict" } }
          }
        },
        "/users/{username}/otp-lock": {
          "parameters": [ { "$ref": "#/components/parameters/username" } ],
          "delete": {
            "summary": "Clear the user's second-factor lock and wrong-code count (Otp:MaxFailures).",
            "parameters": [ { "$ref": "#/components/parameters/optionalReason" } ],
            "responses": {
              "200": { "description": "Cleared.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } },
              "401": { "$ref": "#/components/responses/Unauthorized" }, "403": { "$ref": "#/components/responses/Forbidden" }, "404": { "$ref": "#/components/responses/NotFound" }
            }
          }
        }
      }
    }
    """;
}
