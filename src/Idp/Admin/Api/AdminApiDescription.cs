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
        "description": "Second-factor devices and locks of Idp users. Authenticate with a client-credentials access token from this IdP whose scope includes Idp:Admin:ApiScope (default idp:admin). Every change is written to the audit trail with the client as actor."
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
