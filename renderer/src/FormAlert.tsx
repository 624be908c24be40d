/** Why a dialog's form was refused, read out at once; nothing while there is no reason. */
export function FormAlert({ text, testId }: { text: string | null; testId: string }) {
  if (!text) return null;
  return (
    <p className="field-error" role="alert" data-testid={testId}>
      {text}
    </p>
  );
}
