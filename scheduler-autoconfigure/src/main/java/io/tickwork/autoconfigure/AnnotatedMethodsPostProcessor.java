package io.tickwork.autoconfigure;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.StringValueResolver;

/**
 * Finds the bean methods that carry an annotation, resolves each into a definition as the
 * bean is created, and reports every bad method of a bean at once, so that a bad
 * declaration fails that bean's creation; subclasses resolve and register.
 *
 * @param <A> the annotation
 * @param <D> the definition a method turns into
 * @author Tickwork team
 * @since 0.2.0
 */
abstract class AnnotatedMethodsPostProcessor<A extends Annotation, D> implements BeanPostProcessor,
		SmartInitializingSingleton, EmbeddedValueResolverAware, EnvironmentAware, BeanFactoryAware {

	private final Class<A> annotationType;

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	private StringValueResolver valueResolver;

	private Environment environment;

	private BeanFactory beanFactory;

	AnnotatedMethodsPostProcessor(Class<A> annotationType) {
		this.annotationType = annotationType;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	StringValueResolver valueResolver() {
		return this.valueResolver;
	}

	Environment environment() {
		return this.environment;
	}

	BeanFactory beanFactory() {
		return this.beanFactory;
	}

	/** Whether a bean is Tickwork's own and never carries the annotation. */
	abstract boolean isInfrastructure(Object bean);

	/**
	 * Resolves one annotated method.
	 * @throws InvalidJobDefinitionException if it is invalid
	 */
	abstract D resolve(Object bean, String beanName, Method method, A annotation);

	/** Registers a resolved definition. */
	abstract void register(D definition);

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || isInfrastructure(bean)) {
			return bean;
		}
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)) {
			return bean;
		}
		if (!AnnotationUtils.isCandidateClass(targetClass, this.annotationType)) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		List<D> definitions = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		methods.entrySet()
			.stream()
			.sorted(Comparator.comparing((entry) -> entry.getKey().getName()))
			.forEach((entry) -> {
				try {
					Method invocable = AopUtils.selectInvocableMethod(entry.getKey(), bean.getClass());
					definitions.add(resolve(bean, beanName, invocable, entry.getValue()));
				}
				catch (InvalidJobDefinitionException ex) {
					problems.add(ex.getMessage());
				}
			});
		if (problems.size() == 1) {
			throw new InvalidJobDefinitionException(problems.get(0), null);
		}
		if (!problems.isEmpty()) {
			throw new InvalidJobDefinitionException(problems.size() + " invalid @"
					+ this.annotationType.getSimpleName() + " methods on bean '" + beanName + "':\n- "
					+ String.join("\n- ", problems), null);
		}
		definitions.forEach(this::register);
		return bean;
	}

}
