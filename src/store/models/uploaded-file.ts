import { type Connection, Schema } from 'mongoose';
import { perConnection } from './per-connection.js';

/**
 * A file the bot uploaded to Feishu once (上传文件 returns a `file_key`), found again by a
 * hash of its bytes, type and name, so the same export sent to several places is uploaded once.
 */
export interface UploadedFileDoc {
  /** sha256 of type, name and bytes. */
  _id: string;
  fileKey: string;
  uploadedAt: Date;
}

const UploadedFileSchema = new Schema<UploadedFileDoc>(
  {
    _id: { type: String, required: true },
    fileKey: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { collection: 'uploaded_files', versionKey: false, minimize: false, id: false },
);

function buildUploadedFileModel(connection: Connection) {
  return connection.model('UploadedFile', UploadedFileSchema);
}

export type UploadedFileModel = ReturnType<typeof buildUploadedFileModel>;

/** The model on this connection, compiled once. */
export const uploadedFileModel = perConnection(buildUploadedFileModel);
