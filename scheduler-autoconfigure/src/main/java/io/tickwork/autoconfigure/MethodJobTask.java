package io.tickwork.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.springframework.util.ReflectionUtils;

import io.tickwork.JobContext;
import io.tickwork.JobTask;

/**
 * Runs a job by invoking a bean method, passing the {@link JobContext} when the method
 * takes it, and rethrowing what the method throws as it was thrown. Thread-safe.
 *
 * @author Tickwork team
 * @since 0.1.0
 */
public final class MethodJobTask implements JobTask {

	private final Object bean;

	private final Method method;

	private final boolean takesContext;

	/**
	 * Creates a new instance.
	 * @param bean the bean
	 * @param method the method, invocable on the bean
	 * @param takesContext whether the method takes a {@link JobContext}
	 */
	public MethodJobTask(Object bean, Method method, boolean takesContext) {
		this.bean = bean;
		this.method = method;
		this.takesContext = takesContext;
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public void run(JobContext context) throws Exception {
		try {
			if (this.takesContext) {
				this.method.invoke(this.bean, context);
			}
			else {
				this.method.invoke(this.bean);
			}
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	@Override
	public String toString() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName() + "()";
	}

}
